-- Indexes for the history lookups that make suggestions specific (src/db/queries/history.ts).
-- Each one serves a bounded query run once per suggestion; partial indexes keep them to the
-- event types they are about, so ingest of other events pays nothing for them.

-- An object's versions over time: the product before an update, a calendar event's previous
-- occurrence, a deleted product's stored name. (background_events_group covers unfinished rows only.)
create index background_events_subject_history on background_events (user_id, subject, received_at desc)
  where subject is not null;

-- Orders that contain a product (sales velocity, bought together): containment on line_items.
create index background_events_order_lines on background_events using gin ((event_data->'line_items') jsonb_path_ops)
  where event_type = 'shopify.order.created';

-- Orders by time (a period's recap, where a shop's stored orders start).
create index background_events_orders_time on background_events (user_id, event_timestamp desc)
  where event_type = 'shopify.order.created';

-- A customer's earlier orders.
create index background_events_order_customer on background_events (user_id, (event_data #>> '{customer,id}'), event_timestamp desc)
  where event_type = 'shopify.order.created';

-- The product that owns an inventory item (inventory_levels/update names only the item).
create index background_events_product_variants on background_events using gin ((event_data->'variants') jsonb_path_ops)
  where event_type in ('shopify.product.created', 'shopify.product.updated');

-- An inventory item's stock events: the last low-stock alert, and whether it was restocked since.
create index background_events_inventory_item on background_events (user_id, (event_data->>'inventory_item_id'), received_at desc)
  where event_type in ('shopify.inventory.low', 'shopify.inventory.updated');
