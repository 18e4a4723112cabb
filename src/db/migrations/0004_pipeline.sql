-- Processing: what an event is about (for debounce), and compliance requests.

-- The object an event concerns: a Shopify resource gid, a Supabase schema.table, a calendar uid.
-- Computed by PostgreSQL from the stored payload, so every source gets it without code.
alter table background_events add column subject text generated always as (
  coalesce(
    event_data->>'admin_graphql_api_id',
    case when event_data ? 'table' and jsonb_typeof(event_data->'table') = 'string'
         then coalesce(event_data->>'schema', 'public') || '.' || (event_data->>'table') end,
    event_data->>'uid',
    event_data->>'id'
  )
) stored;
create index background_events_group on background_events (user_id, event_type, subject, received_at desc)
  where status in ('pending', 'processing');
create index background_events_suggestion on background_events (suggestion_id) where suggestion_id is not null;
create index suggestions_rate on suggestions (user_id, event_type, created_at desc);

-- customers/data_request: what a shop asked us to export, kept for the operator.
create table data_requests (
  id uuid primary key default gen_random_uuid(),
  integration_id uuid references integrations(id) on delete set null,
  user_id uuid not null references users(id) on delete cascade,
  shop_domain text not null,
  customer_id text,
  customer_email text,
  orders_requested text[] not null default '{}',
  event_id uuid,
  status text not null default 'open' check (status in ('open', 'exported', 'closed')),
  created_at timestamptz not null default now(),
  unique (event_id)
);

-- The operator's dead-letter view and the queue gauges read these without scanning the table.
create index background_events_dead on background_events (received_at) where status = 'dead';

-- Supabase webhooks authenticate with a bearer secret: found by its digest, never stored in clear.
alter table integrations add column webhook_secret_hash text;
create unique index integrations_webhook_secret on integrations (webhook_secret_hash) where webhook_secret_hash is not null;
