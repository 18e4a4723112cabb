import { parse as parseLossless } from 'lossless-json';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import {
  boughtTogether,
  catalogue,
  customerOrders,
  inventoryItemNames,
  lastLowStockAlert,
  latestProduct,
  ordersCoveredSince,
  periodEvents,
  previousOccurrence,
  productOfInventoryItem,
  productsCreatedBetween,
  productVersionBefore,
  type StoredVersion,
  sales,
} from '../db/queries/history.js';
import type { IntegrationRow } from '../db/queries/integrations.js';
import { eventSpec } from '../events/registry.js';
import type { EventType } from '../events.js';
import type { IntegrationCredentials } from '../integrations/credentials.js';
import type { SecretBox } from '../lib/secretBox.js';
import type { Preferences } from '../preferences.js';
import { numericIdFromGid } from '../sources/shopify/gid.js';
import { ShopifyAdapter } from '../sources/shopify/shopifyAdapter.js';
import { loadSchemaSnapshot } from '../sources/supabase/snapshotStore.js';
import { at, list, obj, str } from '../suggest/payload.js';
import { readTags } from '../suggest/shopifyFacts.js';
import type { PeriodSummary, SuggestionContext } from '../suggest/types.js';
import type { ClaimedEvent } from './claimedEvent.js';

/** The sales window a restock suggestion states ("over the last 14 days"). */
const SALES_WINDOW_DAYS = 14;
/** A meeting's recap covers the time since its previous occurrence, if that was this recent. */
const MAX_PERIOD_DAYS = 31;
const DEFAULT_PERIOD_DAYS = 7;
/** Catalogue products read for a cross-sell, and for matching a collection's rules or tag. */
const CROSS_SELL_CATALOGUE = 100;
/** Cross-sell lines a suggestion shows at most (long length). */
const CROSS_SELL_SLOTS = 3;
const COLLECTION_CATALOGUE = 500;
/** Products created this long before a collection are its launch candidates. */
const COLLECTION_CANDIDATES_MS = 24 * 3_600_000;
const DAY_MS = 86_400_000;

function parse(json: string): unknown {
  try {
    return parseLossless(json, null, (digits: string) =>
      Number.isSafeInteger(Number(digits)) || digits.includes('.') ? Number(digits) : digits,
    );
  } catch {
    return undefined;
  }
}

function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
}

/** The type a claimed event is suggested as (an inventory level is suggested as low stock). */
function suggestedType(e: ClaimedEvent): EventType {
  return e.eventType === 'shopify.inventory.updated' ? 'shopify.inventory.low' : e.eventType;
}

/**
 * A smart collection's rules applied to a stored product (the rules Shopify documents for tags,
 * types, vendors, titles).
 */
function matchesRules(
  product: unknown,
  rules: Array<{ column: string; relation: string; condition: string }>,
  disjunctive: boolean,
): boolean {
  if (rules.length === 0) return false;
  const test = (r: { column: string; relation: string; condition: string }): boolean => {
    const cond = r.condition.toLowerCase();
    const values =
      r.column === 'tag'
        ? readTags(at(product, 'tags')).map((t) => t.toLowerCase())
        : r.column === 'type'
          ? [str(at(product, 'product_type'))?.toLowerCase() ?? '']
          : r.column === 'vendor'
            ? [str(at(product, 'vendor'))?.toLowerCase() ?? '']
            : r.column === 'title'
              ? [str(at(product, 'title'))?.toLowerCase() ?? '']
              : undefined;
    if (!values) return false;
    switch (r.relation) {
      case 'equals':
        return values.includes(cond);
      case 'not_equals':
        return !values.includes(cond);
      case 'contains':
        return values.some((v) => v.includes(cond));
      case 'not_contains':
        return values.every((v) => !v.includes(cond));
      case 'starts_with':
        return values.some((v) => v.startsWith(cond));
      case 'ends_with':
        return values.some((v) => v.endsWith(cond));
      default:
        return false;
    }
  };
  return disjunctive ? rules.some(test) : rules.every(test);
}

/**
 * Fills in what a payload leaves out, from what Lookout already stored (and the Shopify Admin API
 * when the integration has a token), so a suggestion can be specific: the product before an
 * update, the item's sales over a stated window, the catalogue, the customer's earlier orders,
 * what was bought together, a collection's products, a meeting's period in numbers. Which lookups
 * run is the type module's `needs`; each is a bounded, indexed query (src/db/queries/history.ts).
 */
export function createEnricher(deps: { db: Database; config: Config; secrets: SecretBox }) {
  const { db } = deps;
  /** The integration and, for a shop, the currency of its latest stored order: one round trip. */
  const integrationOf = async (
    id: string | null,
  ): Promise<(IntegrationRow & { shop_currency: string | null }) | undefined> => {
    if (!id) return undefined;
    const { rows } = await db.query<IntegrationRow & { shop_currency: string | null }>(
      `select i.*, case when i.kind = 'shopify' then (
         select event_data->>'currency' from background_events
         where user_id = i.user_id and event_type = 'shopify.order.created' order by event_timestamp desc limit 1
       ) end as shop_currency
       from integrations i where i.id = $1`,
      [id],
    );
    return rows[0];
  };
  const shopifyAdapter = (i: IntegrationRow | undefined): ShopifyAdapter | undefined => {
    if (i?.kind !== 'shopify') return undefined;
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
  const shopCurrency = async (userId: string): Promise<string | undefined> => {
    const { rows } = await db.query<{ currency: string | null }>(
      `select event_data->>'currency' as currency from background_events
       where user_id = $1 and event_type = 'shopify.order.created' order by event_timestamp desc limit 1`,
      [userId],
    );
    return rows[0]?.currency ?? undefined;
  };
  const parsed = (v: StoredVersion | undefined): unknown => (v ? parse(v.json) : undefined);

  return async (
    e: ClaimedEvent,
    payload: Record<string, unknown>,
    prefs: Preferences,
  ): Promise<SuggestionContext | undefined> => {
    const type = suggestedType(e);
    const needs = new Set(eventSpec(type).suggestion.needs);
    const context: SuggestionContext = {};
    // The lookups are independent: they run concurrently (one round trip each on PostgreSQL's
    // pool; PGlite runs them one after another on its single connection).
    const integrationP = e.source === 'shopify' ? integrationOf(e.integrationId) : Promise.resolve(undefined);
    const adapter = async () => shopifyAdapter(await integrationP);
    const tasks: Array<Promise<void>> = [];
    const run = (task: () => Promise<void>) => tasks.push(task());

    if (e.source === 'shopify') {
      run(async () => {
        const integration = await integrationP;
        context.leadTimeDays = prefs.thresholds.reorderLeadDays;
        context.currency =
          (typeof payload.currency === 'string' ? payload.currency : undefined) ??
          integration?.shop_currency ??
          undefined;
        if (integration?.shop_domain) context.shopDomain = integration.shop_domain;
      });
    }

    if (needs.has('previousVersion') && e.subject) {
      const subject = e.subject;
      run(async () => {
        const before = await productVersionBefore(db, {
          userId: e.userId,
          subject,
          eventId: e.id,
          receivedAt: e.receivedAt,
        });
        if (before) {
          context.previous = parse(before.version.json);
          context.previousVersion = {
            at: before.version.at.toISOString(),
            basis: before.basis,
            updates: before.updates,
          };
        }
      });
    }

    if (needs.has('product')) {
      if (
        type === 'shopify.product.deleted' ||
        (type === 'shopify.product.updated' && typeof payload.title !== 'string')
      ) {
        run(async () => {
          const id = str(payload.id);
          const stored = id ? parsed(await latestProduct(db, e.userId, id)) : undefined;
          if (stored !== undefined) context.product = stored;
          else if (id && type === 'shopify.product.updated') {
            const live = await (await adapter())?.fetchProduct(id);
            if (live) context.product = live;
          }
        });
      }
      if (type === 'shopify.inventory.low') run(() => inventoryContext(e, payload, prefs, context));
    }

    if (needs.has('previousAlert') && type === 'shopify.inventory.low') {
      const item = str(payload.inventory_item_id);
      if (item) {
        run(async () => {
          const alert = await lastLowStockAlert(db, {
            userId: e.userId,
            inventoryItemId: item,
            before: e.receivedAt,
            threshold: prefs.thresholds.lowStock,
            excludeIds: [e.id],
          });
          if (alert && !alert.restockedSince)
            context.previousAlert = { at: alert.at.toISOString(), available: alert.available };
        });
      }
    }

    // An order's cross-sell reads the catalogue only when what was bought together does not fill it.
    if (needs.has('catalogue') && !needs.has('boughtTogether')) {
      run(async () => {
        context.products = (await catalogue(db, e.userId, CROSS_SELL_CATALOGUE))
          .map((v) => parse(v.json))
          .filter((x) => x !== undefined);
      });
    }

    const customerId = str(at(payload, 'customer', 'id'));
    if (needs.has('customer') && customerId) {
      run(async () => {
        const c = await customerOrders(db, {
          userId: e.userId,
          customerId,
          before: e.eventTimestamp,
          excludeEventId: e.id,
        });
        context.customer = {
          previousOrders: c.count,
          firstOrderAt: c.first?.toISOString(),
          lastOrderAt: c.last?.toISOString(),
        };
      });
    }

    if (needs.has('boughtTogether')) {
      const ids = [
        ...new Set(
          list(payload.line_items)
            .map((li) => str(at(li, 'product_id')))
            .filter((id): id is string => id !== undefined),
        ),
      ].slice(0, 3);
      run(async () => {
        const merged = new Map<string, { productId: string; title: string; orders: number; price?: number }>();
        const lists = await Promise.all(
          ids.map((id) =>
            boughtTogether(db, { userId: e.userId, productId: id, before: e.eventTimestamp, excludeEventId: e.id }),
          ),
        );
        for (const b of lists.flat()) {
          if (ids.includes(b.productId)) continue;
          const prior = merged.get(b.productId);
          merged.set(b.productId, {
            productId: b.productId,
            title: b.title,
            orders: (prior?.orders ?? 0) + b.orders,
            price: b.price ?? prior?.price,
          });
        }
        context.boughtTogether = [...merged.values()];
        if (needs.has('catalogue') && context.boughtTogether.length < CROSS_SELL_SLOTS) {
          context.products = (await catalogue(db, e.userId, CROSS_SELL_CATALOGUE))
            .map((v) => parse(v.json))
            .filter((x) => x !== undefined);
        }
      });
    }

    if (needs.has('collectionMembers') && type.startsWith('shopify.collection.')) {
      run(() => collectionMembers(e, payload, context));
    }

    if (e.source === 'supabase' && needs.has('schemaTable') && e.integrationId && typeof payload.table === 'string') {
      const integrationId = e.integrationId;
      const tableName = payload.table;
      run(async () => {
        const snapshot = await loadSchemaSnapshot(db, integrationId);
        const schema = typeof payload.schema === 'string' ? payload.schema : 'public';
        const table = snapshot?.tables.find((t) => t.schema === schema && t.name === tableName);
        // The raw snapshot: its constraints, indexes and RLS flag are what the table docs read.
        if (table) context.schemaTable = table as unknown as SuggestionContext['schemaTable'];
      });
    }

    if (e.source === 'calendar') {
      const linked = obj(payload.linked);
      const linkedId = str(linked?.id);
      if (linkedId) {
        run(async () => {
          const { rows } = await db.query<{ json: string }>(
            `select event_data::text as json from background_events where user_id = $1 and subject = $2
               and event_type in ('shopify.product.created', 'shopify.product.updated', 'shopify.collection.created',
                 'shopify.collection.updated')
             order by received_at desc limit 1`,
            [e.userId, linkedId],
          );
          if (rows[0]) context[str(linked?.kind) === 'collection' ? 'collection' : 'product'] = parse(rows[0].json);
        });
        run(async () => {
          context.currency = await shopCurrency(e.userId);
        });
      } else {
        run(async () => {
          context.period = await period(e, payload);
        });
      }
    }
    await Promise.all(tasks);
    return context;

    async function collectionMembers(
      ev: ClaimedEvent,
      p: Record<string, unknown>,
      ctx: SuggestionContext,
    ): Promise<void> {
      const rules = list(p.rules).flatMap((r) => {
        const column = str(at(r, 'column'));
        const relation = str(at(r, 'relation'));
        const condition = str(at(r, 'condition'));
        return column && relation && condition ? [{ column, relation, condition }] : [];
      });
      const products = (await catalogue(db, ev.userId, COLLECTION_CATALOGUE))
        .map((v) => parse(v.json))
        .filter((x) => x !== undefined);
      const handle = fold(str(p.handle) ?? '');
      const title = fold(str(p.title) ?? '');
      const byRule = products.filter((x) => matchesRules(x, rules, p.disjunctive === true));
      const byTag = products.filter((x) =>
        readTags(at(x, 'tags')).some((t) => (handle && fold(t) === handle) || (title && fold(t) === title)),
      );
      if (rules.length > 0) ctx.members = { basis: 'rule', products: byRule };
      else if (byTag.length > 0) ctx.members = { basis: 'tag', products: byTag };
      else {
        const until = ev.eventTimestamp.getTime();
        const recent = await productsCreatedBetween(
          db,
          ev.userId,
          new Date(until - COLLECTION_CANDIDATES_MS),
          ev.receivedAt,
        );
        if (recent.length > 0)
          ctx.members = { basis: 'recent', products: recent.map((v) => parse(v.json)).filter((x) => x !== undefined) };
      }
    }

    async function inventoryContext(
      ev: ClaimedEvent,
      p: Record<string, unknown>,
      pr: Preferences,
      ctx: SuggestionContext,
    ): Promise<void> {
      const itemId = str(p.inventory_item_id);
      // Where the stored orders start does not depend on the product: asked for meanwhile.
      const coveredSince = ordersCoveredSince(db, ev.userId, ev.integrationId);
      // Unused when the Admin API answers: a failure then must not surface as an unhandled rejection.
      coveredSince.catch(() => undefined);
      // The poller's payload names the product and variant; a webhook names only the item.
      let productId = str(p.product_id);
      let variantId = str(p.variant_id);
      let product: unknown = productId ? parsed(await latestProduct(db, ev.userId, productId)) : undefined;
      if (product === undefined && itemId) product = parsed(await productOfInventoryItem(db, ev.userId, itemId));
      const withToken = await adapter();
      const live = product === undefined ? withToken : undefined;
      if (live && itemId) {
        const item = await live.resolveInventoryItem(itemId);
        if (item) {
          productId = numericIdFromGid(item.productId) ?? item.productId;
          variantId = numericIdFromGid(item.variantId) ?? item.variantId;
          product = (await live.fetchProduct(productId)) ?? undefined;
        }
      }
      if (product !== undefined) {
        ctx.product = product;
        productId ??= str(at(product, 'id'));
        const variant = list(at(product, 'variants')).find(
          (v) => itemId !== undefined && str(at(v, 'inventory_item_id')) === itemId,
        );
        variantId ??= str(at(variant, 'id'));
      }
      ctx.inventory = { threshold: pr.thresholds.lowStock };
      if (!productId) return;
      const asOf = ev.eventTimestamp;
      const createdRaw = str(at(product, 'created_at')) ?? str(at(product, 'createdAt'));
      const productCreatedAt = createdRaw ? new Date(createdRaw) : undefined;
      if (withToken) {
        // The Admin API sees every order of the window, including those before Lookout was connected.
        try {
          const v = await withToken.recentOrderVelocity(productId, SALES_WINDOW_DAYS, asOf, {
            variantId,
            since: productCreatedAt,
          });
          ctx.sales = {
            productId,
            variantId,
            units: v.unitsSold,
            orders: v.orders,
            days: v.days,
            requestedDays: SALES_WINDOW_DAYS,
            from: v.from,
            to: asOf.toISOString(),
            source: 'admin_api',
          };
          return;
        } catch {
          // Fall through to stored orders.
        }
      }
      const s = await sales(db, {
        userId: ev.userId,
        productId,
        variantId,
        windowDays: SALES_WINDOW_DAYS,
        asOf,
        coveredSince: await coveredSince,
        productCreatedAt,
      });
      if (s) {
        ctx.sales = {
          productId,
          variantId,
          units: s.units,
          orders: s.orders,
          days: s.days,
          requestedDays: SALES_WINDOW_DAYS,
          from: s.from.toISOString(),
          to: s.to.toISOString(),
          source: 'stored_orders',
        };
      }
    }

    async function period(ev: ClaimedEvent, p: Record<string, unknown>): Promise<PeriodSummary> {
      const to = ev.eventTimestamp;
      const startRaw = str(p.start);
      const start = startRaw ? new Date(startRaw) : to;
      const uid = str(p.uid);
      const previous = uid
        ? await previousOccurrence(db, {
            userId: ev.userId,
            uid,
            before: start,
            notBefore: new Date(start.getTime() - MAX_PERIOD_DAYS * DAY_MS),
          })
        : undefined;
      const from = previous && previous < to ? previous : new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS);
      const rows = await periodEvents(db, ev.userId, from, to);
      const alerts = rows.lowStock.map((r) => parse(r.json));
      const unnamed = alerts
        .filter((d) => !str(at(d, 'title')))
        .map((d) => str(at(d, 'inventory_item_id')))
        .filter((i): i is string => i !== undefined);
      const names = await inventoryItemNames(db, ev.userId, [...new Set(unnamed)]);
      const lowStock: PeriodSummary['lowStock'] = [];
      for (const data of alerts) {
        const item = str(at(data, 'inventory_item_id'));
        const known = item ? names.get(item) : undefined;
        const name = str(at(data, 'title')) ?? known?.title ?? undefined;
        const variant = str(at(data, 'variant_title')) ?? known?.variant ?? undefined;
        const label = `${name ?? `#${item ?? '?'}`}${variant && variant !== 'Default Title' ? ` (${variant})` : ''}`;
        if (lowStock.some((x) => x.name === label)) continue;
        const available = at(data, 'available');
        lowStock.push({ name: label, available: typeof available === 'number' ? available : null });
      }
      const schemaChanges: PeriodSummary['schemaChanges'] = [];
      const migrations: string[] = [];
      for (const r of rows.schema) {
        const data = parse(r.json);
        if (r.event_type === 'supabase.migration.pending') {
          for (const f of list(at(data, 'files')))
            if (typeof f === 'string' && !migrations.includes(f)) migrations.push(f);
          continue;
        }
        const schema = str(at(data, 'schema'));
        const table = str(at(data, 'table'));
        schemaChanges.push({
          kind: r.event_type.slice('supabase.'.length),
          table: table ? `${schema ?? 'public'}.${table}` : null,
          column: str(at(data, 'column')) ?? null,
        });
      }
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        basis: previous && previous < to ? 'sinceLastMeeting' : 'lastDays',
        days: Math.max(1, Math.round((to.getTime() - from.getTime()) / DAY_MS)),
        orders: {
          count: rows.orders.orders,
          units: rows.orders.units,
          revenue: rows.orders.revenue.map((r) => ({ currency: r.currency, amount: Math.round(r.amount * 100) / 100 })),
          cancelled: rows.orders.cancelled,
          topProducts: rows.orders.topProducts,
        },
        lowStock,
        productsCreated: rows.products
          .filter((x) => x.type === 'shopify.product.created' && x.title)
          .map((x) => x.title as string),
        collectionsCreated: rows.products
          .filter((x) => x.type === 'shopify.collection.created' && x.title)
          .map((x) => x.title as string),
        schemaChanges,
        migrationsPending: migrations,
      };
    }
  };
}
