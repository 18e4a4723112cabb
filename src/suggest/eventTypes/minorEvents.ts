/**
 * Event types that rarely deserve a suggestion (row changes, app uninstalls, GDPR requests, raw
 * inventory updates) still get a short, accurate note naming what they are about, in case a user
 * opts in. Row values may be personal data: only the table, the id and which columns moved.
 */
import { at, list, obj, shopifyId, str } from '../payload.js';
import { qualified, readTableRef } from '../supabaseFacts.js';
import { code, joinSections } from './markdown.js';
import { defineEventType } from './module.js';

export interface MinorEventsFacts {
  shop: string | null;
  orders: number;
  table: string | null;
  rowId: string | null;
  changedColumns: string[];
  item: {
    id: string | null;
    sku: string | null;
    title: string | null;
    available: number | null;
    locationId: string | null;
  };
}

export const minorEvents = defineEventType<MinorEventsFacts>({
  needs: [],
  customerFacing: false,
  facts(input) {
    const d = input.eventData;
    const record = obj(at(d, 'record'));
    const old = obj(at(d, 'old_record'));
    const ref = readTableRef(d);
    const available = at(d, 'available');
    return {
      shop:
        str(at(d, 'shop_domain')) ??
        str(at(d, 'myshopify_domain')) ??
        str(at(d, 'domain')) ??
        str(at(d, 'name')) ??
        null,
      orders: list(at(d, 'orders_requested') ?? at(d, 'orders_to_redact')).length,
      table: input.eventType.startsWith('supabase.row.') && ref ? qualified(ref) : null,
      rowId: str(record?.id) ?? str(old?.id) ?? null,
      changedColumns:
        record && old
          ? Object.keys(record)
              .filter((k) => JSON.stringify(record[k]) !== JSON.stringify(old[k]))
              .sort()
          : [],
      item: {
        // inventory_levels/update names the item in inventory_item_id; its gid is the level's.
        id: str(at(d, 'inventory_item_id')) ?? shopifyId(d) ?? null,
        sku: str(at(d, 'sku')) ?? null,
        title: str(at(d, 'title')) ?? null,
        available: typeof available === 'number' ? available : null,
        locationId: str(at(d, 'location_id')) ?? null,
      },
    };
  },
  task: 'Write one short note on what the event means; it rarely needs action. content: {}.',
  render(env, facts) {
    const { t, f, input } = env;
    const text = t.minorEvents;
    const shop = facts.shop ?? undefined;
    const orders = f.integer(facts.orders);
    switch (input.eventType) {
      case 'supabase.row.inserted':
      case 'supabase.row.updated':
      case 'supabase.row.deleted': {
        const verb = input.eventType.slice('supabase.row.'.length) as 'inserted' | 'updated' | 'deleted';
        const table = facts.table ?? 'public.unknown_table';
        const id = facts.rowId ?? undefined;
        return {
          title: text.row.title(verb, table, id),
          body: joinSections([
            text.row.body(verb, code(table), id ? code(id) : undefined),
            facts.changedColumns.length > 0 && text.row.changed(facts.changedColumns.map(code).join(', ')),
            text.row.advice,
          ]),
          content: { table, id: facts.rowId, changedColumns: facts.changedColumns },
        };
      }
      case 'shopify.app.uninstalled':
        return {
          title: text.uninstalled.title(shop),
          body: text.uninstalled.lines.map((l) => `- ${l}`).join('\n'),
          content: { shop: facts.shop },
        };
      case 'shopify.customers.data_request':
        return {
          title: text.dataRequest.title(shop, orders),
          body: joinSections([
            text.dataRequest.intro,
            text.dataRequest
              .steps(orders)
              .map((l) => `- ${l}`)
              .join('\n'),
          ]),
          content: {
            shop: facts.shop,
            orders: facts.orders,
            requestId: str(at(input.eventData, 'data_request', 'id')) ?? null,
          },
        };
      case 'shopify.customers.redact':
        return {
          title: text.redact.title(shop, orders),
          body: text.redact.body(orders),
          content: { shop: facts.shop, orders: facts.orders },
        };
      case 'shopify.shop.redact':
        return { title: text.shopRedact.title(shop), body: text.shopRedact.body, content: { shop: facts.shop } };
      case 'shopify.inventory.updated': {
        const i = facts.item;
        const name = i.title ?? i.sku ?? i.id ?? '?';
        const available = i.available !== null ? f.integer(i.available) : undefined;
        return {
          title: text.inventoryUpdated.title(name, available),
          body:
            available !== undefined
              ? text.inventoryUpdated.level(name, available, i.locationId ?? undefined)
              : text.inventoryUpdated.settings,
          content: { inventoryItemId: i.id, sku: i.sku, available: i.available },
        };
      }
      default:
        return { title: `${input.eventType} (${input.eventId})`, body: text.unknown(input.eventType), content: {} };
    }
  },
});
