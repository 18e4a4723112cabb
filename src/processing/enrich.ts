import type { IntegrationCredentials } from '../api/integrationRoutes.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { IntegrationRow } from '../db/queries/integrations.js';
import type { SecretBox } from '../lib/secretBox.js';
import type { Preferences } from '../preferences.js';
import { numericIdFromGid } from '../sources/shopify/gid.js';
import { ShopifyAdapter } from '../sources/shopify/shopifyAdapter.js';
import type { TableSnapshot } from '../sources/supabase/schemaSnapshot.js';
import { loadSchemaSnapshot } from '../sources/supabase/snapshotStore.js';
import type { SchemaTable, SuggestionContext } from '../suggest/types.js';
import type { ClaimedEvent } from './claimedEvent.js';

const VELOCITY_DAYS = 14;

/**
 * Fills in what a payload leaves out, so a suggestion can be specific: an inventory level names
 * only an inventory item (resolve its product, stock and sales velocity), a products/update may be
 * thin, and a column event names one column of a table whose full shape is in the last snapshot.
 * Every lookup is best effort: without credentials or on error the suggestion uses the payload.
 */
export function createEnricher(deps: { db: Database; config: Config; secrets: SecretBox }) {
  const integrationOf = async (id: string | null): Promise<IntegrationRow | undefined> => {
    if (!id) return undefined;
    const { rows } = await deps.db.query<IntegrationRow>('select * from integrations where id = $1', [id]);
    return rows[0];
  };
  const shopifyAdapter = (i: IntegrationRow): ShopifyAdapter | undefined => {
    const creds = i.credentials ? deps.secrets.openJson<IntegrationCredentials>(i.credentials) : {};
    if (!creds.accessToken || !i.shop_domain) return undefined;
    return new ShopifyAdapter({
      shopDomain: i.shop_domain,
      accessToken: creds.accessToken,
      apiVersion: deps.config.shopify.apiVersion,
      adminApiUrl: deps.config.shopify.adminApiUrl,
      timeoutMs: 5_000,
      client: { maxAttempts: 2 },
    });
  };

  return async (
    e: ClaimedEvent,
    payload: Record<string, unknown>,
    prefs: Preferences,
  ): Promise<SuggestionContext | undefined> => {
    if (e.source === 'shopify') {
      const context: SuggestionContext = { leadTimeDays: prefs.thresholds.reorderLeadDays };
      if (e.eventType === 'shopify.product.updated' && e.subject) {
        // The product as it was before this update (or before a debounced burst of them: those are
        // still unprocessed), so "what changed" is a real diff, not a guess.
        const { rows } = await deps.db.query<{ data: Record<string, unknown> }>(
          `select event_data as data from background_events
           where user_id = $1 and subject = $2 and id <> $3 and received_at <= $4 and status = 'processed'
             and event_type in ('shopify.product.created', 'shopify.product.updated')
           order by received_at desc, seq desc limit 1`,
          [e.userId, e.subject, e.id, e.receivedAt],
        );
        if (rows[0]) context.previous = rows[0].data;
      }
      if (
        !e.eventType.startsWith('shopify.inventory.') &&
        !(e.eventType === 'shopify.product.updated' && typeof payload.title !== 'string')
      )
        return context;
      const integration = await integrationOf(e.integrationId);
      const adapter = integration && shopifyAdapter(integration);
      if (!adapter) return context;
      context.shopDomain = integration!.shop_domain ?? undefined;
      if (e.eventType.startsWith('shopify.inventory.')) {
        const itemId =
          typeof payload.inventory_item_id === 'string' || typeof payload.inventory_item_id === 'number'
            ? String(payload.inventory_item_id)
            : undefined;
        const item = itemId ? await adapter.resolveInventoryItem(itemId) : null;
        if (item) {
          context.inventory = {
            available: payload.available ?? item.inventoryQuantity,
            sku: item.sku ?? undefined,
            threshold: prefs.thresholds.lowStock,
          };
          const productId = numericIdFromGid(item.productId) ?? item.productId;
          context.product = await adapter.fetchProduct(productId);
          const velocity = await adapter.recentOrderVelocity(productId, VELOCITY_DAYS);
          context.orderVelocity = { unitsPerDay: velocity.perDay, windowDays: VELOCITY_DAYS };
        }
      } else {
        const id = typeof payload.id === 'string' || typeof payload.id === 'number' ? String(payload.id) : undefined;
        if (id) context.product = await adapter.fetchProduct(id);
      }
      return context;
    }
    if (
      e.source === 'supabase' &&
      e.integrationId &&
      typeof payload.schema === 'string' &&
      typeof payload.table === 'string'
    ) {
      const snapshot = await loadSchemaSnapshot(deps.db, e.integrationId);
      const table = snapshot?.tables.find((t) => t.schema === payload.schema && t.name === payload.table);
      return table ? { schemaTable: toSchemaTable(table) } : undefined;
    }
    if (e.source === 'calendar') {
      const context: SuggestionContext = {};
      // A launch linked to a product or collection: its latest stored state makes the countdown specific.
      const linked = payload.linked as { kind?: string; id?: string } | undefined;
      if (linked?.id) {
        const { rows } = await deps.db.query<{ data: Record<string, unknown> }>(
          `select event_data as data from background_events where user_id = $1 and subject = $2 order by received_at desc limit 1`,
          [e.userId, linked.id],
        );
        if (rows[0]) context[linked.kind === 'collection' ? 'collection' : 'product'] = rows[0].data;
      }
      // Meeting prep draws on what happened lately for this user.
      const { rows } = await deps.db.query<{ event_type: string; title: string | null; at: Date }>(
        `select event_type, coalesce(event_data->>'title', event_data->>'table', event_data->>'name') as title, received_at as at
         from background_events where user_id = $1 and source <> 'calendar' and received_at > now() - interval '7 days'
         order by received_at desc limit 20`,
        [e.userId],
      );
      context.relatedEvents = rows.map((r) => ({
        eventType: r.event_type,
        title: r.title ?? undefined,
        at: r.at.toISOString(),
      }));
      return context;
    }
    return undefined;
  };
}

function toSchemaTable(t: TableSnapshot): SchemaTable {
  const pk = t.constraints.find((c) => c.type === 'primary key');
  const pkCols = new Set(pk?.columns ?? []);
  return {
    schema: t.schema,
    name: t.name,
    comment: t.comment,
    columns: t.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: !c.notNull,
      default: c.default,
      comment: c.comment,
      isPrimaryKey: pkCols.has(c.attnum),
    })),
    primaryKey: t.columns.filter((c) => pkCols.has(c.attnum)).map((c) => c.name),
  };
}
