/**
 * Event types that rarely deserve marketing (app uninstalls, GDPR requests, raw inventory
 * updates) still get a short, accurate note naming what they are about, in case a user opts in.
 */
import { at, list, shopifyId, str } from '../payload.js';
import { bullets, joinSections } from './markdown.js';
import type { Template } from './templateEnv.js';

export const otherEvents: Template = (env) => {
  const { input } = env;
  const d = input.eventData;
  const shop =
    str(at(d, 'shop_domain')) ?? str(at(d, 'myshopify_domain')) ?? str(at(d, 'domain')) ?? str(at(d, 'name'));
  switch (input.eventType) {
    case 'shopify.app.uninstalled':
      return {
        title: `${shop ?? 'A store'} uninstalled the app`,
        body: bullets([
          'Webhooks and polling for this store stop; stored events stay until the shop/redact request (48 hours after uninstall).',
          'If this was not intended, reinstall the app from the Shopify admin.',
        ]),
        content: { shop: shop ?? null },
      };
    case 'shopify.customers.data_request': {
      const orders = list(at(d, 'orders_requested')).length;
      return {
        title: `Customer data request for ${shop ?? 'your store'} (${orders} orders)`,
        body: joinSections([
          'A customer asked for their data (GDPR/CCPA). Shopify expects the store to respond within 30 days.',
          bullets([
            `Collect what Lookout stores about the ${orders} orders listed in the request.`,
            'Send it to the customer through your usual support channel.',
          ]),
        ]),
        content: { shop: shop ?? null, orders, requestId: str(at(d, 'data_request', 'id')) ?? null },
      };
    }
    case 'shopify.customers.redact': {
      const orders = list(at(d, 'orders_to_redact')).length;
      return {
        title: `Redact customer data for ${shop ?? 'your store'} (${orders} orders)`,
        body: `Erase the customer's personal data from events and suggestions about ${orders} orders within 30 days; keep only what the law requires.`,
        content: { shop: shop ?? null, orders },
      };
    }
    case 'shopify.shop.redact':
      return {
        title: `Erase all data of ${shop ?? 'the store'}`,
        body: 'The store uninstalled the app 48 hours ago; Shopify asks for all of its data to be erased.',
        content: { shop: shop ?? null },
      };
    case 'shopify.inventory.updated': {
      const sku = str(at(d, 'sku'));
      // inventory_levels/update names the item in inventory_item_id; its gid is the level's.
      const id = str(at(d, 'inventory_item_id')) ?? shopifyId(d);
      const available = str(at(d, 'available'));
      const name = str(at(d, 'title')) ?? sku ?? id ?? '?';
      return {
        title: `Inventory of ${name} updated${available !== undefined ? `: ${available} available` : ''}`,
        body:
          available !== undefined
            ? `Stock of ${name} is now ${available}${str(at(d, 'location_id')) ? ` at location ${str(at(d, 'location_id'))}` : ''}. No action needed while it stays above your low-stock threshold.`
            : 'Stock settings changed (tracking, cost or origin). No action needed unless stock is now low.',
        content: { inventoryItemId: id ?? null, sku: sku ?? null, available: available ?? null },
      };
    }
    default:
      return {
        title: `${input.eventType} (${input.eventId})`,
        body: 'No template exists for this event type yet.',
        content: {},
      };
  }
};
