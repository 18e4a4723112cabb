/**
 * Inputs for suggest tests: the real Shopify webhook fixtures (parsed with lossless-json, as stored
 * payloads are read) and realistic Supabase and calendar payloads built here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'lossless-json';
import type { EventType } from '../../src/events.js';
import type { SuggestionContext, SuggestionInput, UserProfile, Vibe } from '../../src/suggest/types.js';

/** The repository's copy of Shopify's sample payloads (fixtures/shopify). */
export const SHOPIFY_FIXTURES =
  process.env.LOOKOUT_SHOPIFY_FIXTURES ?? fileURLToPath(new URL('../../fixtures/shopify/', import.meta.url));

export function shopifyFixturePath(name: string): string {
  return `${SHOPIFY_FIXTURES}${name}`;
}

export function shopifyFixture(name: string): unknown {
  return parse(readFileSync(shopifyFixturePath(name), 'utf8'));
}

/** Any pictographic emoji, regional-indicator flags included. */
export const EMOJI = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;

export const ORDERS_SCHEMA_TABLE = {
  schema: 'public',
  name: 'orders',
  columns: [
    { name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()', isPrimaryKey: true },
    { name: 'user_id', type: 'uuid', nullable: false, references: { schema: 'public', table: 'users', column: 'id' } },
    { name: 'total', type: 'numeric(10,2)', nullable: false, default: '0' },
    { name: 'discount_code', type: 'text', nullable: true },
    { name: 'status', type: 'text', nullable: false, default: "'pending'::text" },
    { name: 'created_at', type: 'timestamp with time zone', nullable: false, default: 'now()' },
  ],
  primaryKey: ['id'],
  foreignKeys: [{ columns: ['user_id'], references: { schema: 'public', table: 'users', columns: ['id'] } }],
};

/** A table whose name needs quoting, to prove identifiers are quoted properly. */
export const AWKWARD_TABLE_EVENT = {
  schema: 'public',
  table: {
    name: 'Order "Items"',
    columns: [
      { column_name: 'id', data_type: 'bigint', is_nullable: 'NO', column_default: null, is_primary_key: true },
      { column_name: "customer's note", data_type: 'text', is_nullable: 'YES', column_default: null },
    ],
  },
};

/** Shapes Lookout's own Supabase source emits (src/sources/supabase: schemaDiff, migrationsCheck). */
const column = (attnum: number, name: string, type: string, notNull: boolean, extra: Record<string, unknown> = {}) => ({
  attnum,
  name,
  type,
  notNull,
  default: null,
  identity: null,
  generated: null,
  comment: null,
  ...extra,
});
export const ORDERS_SNAPSHOT = {
  oid: '16500',
  schema: 'public',
  name: 'orders',
  kind: 'table',
  comment: null,
  rowSecurity: true,
  columns: [
    column(1, 'id', 'bigint', true, { identity: 'always' }),
    column(2, 'user_id', 'uuid', true),
    column(3, 'total', 'numeric(10,2)', true, { default: '0' }),
    column(4, 'created_at', 'timestamp with time zone', true, { default: 'now()' }),
  ],
  constraints: [
    {
      oid: '16510',
      name: 'orders_pkey',
      type: 'primary key',
      definition: 'PRIMARY KEY (id)',
      columns: [1],
      signature: 'p',
    },
    {
      oid: '16511',
      name: 'orders_user_id_fkey',
      type: 'foreign key',
      definition: 'FOREIGN KEY (user_id) REFERENCES profiles(id) ON DELETE CASCADE',
      columns: [2],
      signature: 'f',
    },
    {
      oid: '16512',
      name: 'orders_total_check',
      type: 'check',
      definition: 'CHECK ((total >= (0)::numeric))',
      columns: [3],
      signature: 'c',
    },
  ],
};
const diffBase = { detectedBy: 'schema_diff', dedupeKey: 'k', schema: 'public', table: 'orders', tableOid: '16500' };

export interface Case {
  name: string;
  eventType: EventType;
  eventData: unknown;
  context?: SuggestionContext;
  /** What the title or body must name. */
  names: string;
}

export const INVENTORY_CONTEXT: SuggestionContext = {
  product: {
    title: 'Example T-Shirt',
    variants: [
      { title: 'Small', inventory_item_id: '271878346596884015', sku: 'TS-S' },
      { title: 'Medium', inventory_item_id: '271878346596884016', sku: 'TS-M' },
    ],
  },
  inventory: { available: 12 },
  // 42 units in 14 days: 3.0 a day.
  sales: {
    productId: '632910392',
    units: 42,
    orders: 30,
    days: 14,
    requestedDays: 14,
    from: '2021-12-18T00:00:00.000Z',
    to: '2022-01-01T00:00:00.000Z',
    source: 'stored_orders',
  },
};

export function allCases(): Case[] {
  return [
    {
      name: 'product created',
      eventType: 'shopify.product.created',
      eventData: shopifyFixture('2026-04/products__create.json'),
      names: 'Example T-Shirt',
    },
    {
      name: 'product updated',
      eventType: 'shopify.product.updated',
      eventData: shopifyFixture('2026-04/products__update.json'),
      names: 'Example T-Shirt',
    },
    {
      name: 'product deleted (id only)',
      eventType: 'shopify.product.deleted',
      eventData: shopifyFixture('2026-04/products__delete.json'),
      names: '788032119674292900',
    },
    {
      name: 'product deleted (known product)',
      eventType: 'shopify.product.deleted',
      eventData: shopifyFixture('2026-04/products__delete.json'),
      context: { product: { title: 'Example T-Shirt', handle: 'example-t-shirt' } },
      names: 'Example T-Shirt',
    },
    {
      name: 'collection created',
      eventType: 'shopify.collection.created',
      eventData: shopifyFixture('2026-04/collections__create.json'),
      names: 'My New Collection',
    },
    {
      name: 'collection updated',
      eventType: 'shopify.collection.updated',
      eventData: shopifyFixture('2026-04/collections__update.json'),
      names: 'My New Collection',
    },
    {
      name: 'inventory low',
      eventType: 'shopify.inventory.low',
      eventData: shopifyFixture('2024-01/inventory_levels__update.json'),
      context: INVENTORY_CONTEXT,
      names: 'Example T-Shirt (Small)',
    },
    {
      name: 'inventory low (no context)',
      eventType: 'shopify.inventory.low',
      eventData: shopifyFixture('2024-01/inventory_levels__update.json'),
      names: '271878346596884015',
    },
    {
      name: 'inventory item updated',
      eventType: 'shopify.inventory.updated',
      eventData: shopifyFixture('2026-04/inventory_items__update.json'),
      names: 'example-sku',
    },
    {
      name: 'order created',
      eventType: 'shopify.order.created',
      eventData: shopifyFixture('2026-04/orders__create.json'),
      names: '#9999',
    },
    {
      name: 'app uninstalled',
      eventType: 'shopify.app.uninstalled',
      eventData: shopifyFixture('2026-04/app__uninstalled.json'),
      names: 'Super Toys',
    },
    {
      name: 'customers data request',
      eventType: 'shopify.customers.data_request',
      eventData: shopifyFixture('2026-04/customers__data_request.json'),
      names: '{shop}.myshopify.com',
    },
    {
      name: 'customers redact',
      eventType: 'shopify.customers.redact',
      eventData: shopifyFixture('2026-04/customers__redact.json'),
      names: '{shop}.myshopify.com',
    },
    {
      name: 'shop redact',
      eventType: 'shopify.shop.redact',
      eventData: shopifyFixture('2026-04/shop__redact.json'),
      names: '{shop}.myshopify.com',
    },
    {
      name: 'table created',
      eventType: 'supabase.table.created',
      eventData: { schema: 'public', table: 'orders' },
      context: { schemaTable: ORDERS_SCHEMA_TABLE },
      names: 'public.orders',
    },
    {
      name: 'table created (columns in payload)',
      eventType: 'supabase.table.created',
      eventData: AWKWARD_TABLE_EVENT,
      names: 'Order "Items"',
    },
    {
      name: 'column added',
      eventType: 'supabase.column.added',
      eventData: { schema: 'public', table: 'orders', column: { name: 'discount_code', type: 'text', nullable: true } },
      context: { schemaTable: ORDERS_SCHEMA_TABLE },
      names: 'public.orders.discount_code',
    },
    {
      name: 'column renamed',
      eventType: 'supabase.column.renamed',
      eventData: { schema: 'public', table: 'orders', oldName: 'amount', newName: 'total' },
      context: { schemaTable: ORDERS_SCHEMA_TABLE },
      names: 'public.orders.amount',
    },
    {
      name: 'column retyped',
      eventType: 'supabase.column.retyped',
      eventData: { schema: 'public', table: 'orders', column: 'total', oldType: 'integer', newType: 'numeric(10,2)' },
      names: 'public.orders.total',
    },
    {
      name: 'schema changed',
      eventType: 'supabase.schema.changed',
      eventData: {
        detectedAt: '2026-03-02T10:00:00Z',
        changes: [
          { kind: 'table.created', schema: 'public', table: 'invoices' },
          { kind: 'column.added', schema: 'public', table: 'orders', column: { name: 'discount_code', type: 'text' } },
          { kind: 'column.dropped', schema: 'public', table: 'orders', column: 'legacy_ref' },
        ],
      },
      names: 'public.invoices',
    },
    {
      name: 'table dropped',
      eventType: 'supabase.table.dropped',
      eventData: { schema: 'public', table: 'legacy_orders' },
      names: 'public.legacy_orders',
    },
    {
      name: 'column dropped',
      eventType: 'supabase.column.dropped',
      eventData: { schema: 'public', table: 'orders', column: 'legacy_ref', type: 'text' },
      names: 'public.orders',
    },
    {
      name: 'constraint changed',
      eventType: 'supabase.constraint.changed',
      eventData: {
        schema: 'public',
        table: 'orders',
        constraint: { name: 'orders_total_check' },
        before: 'CHECK (total >= 0)',
        after: 'CHECK (total > 0)',
      },
      names: 'orders_total_check',
    },
    {
      name: 'migration pending',
      eventType: 'supabase.migration.pending',
      eventData: {
        files: ['20260301120000_create_invoices.sql', '20260302090000_add_discount_code.sql'],
        migrationsDir: 'supabase/migrations',
      },
      names: '20260301120000_create_invoices.sql',
    },
    // The payloads of Lookout's own sources, as stored.
    {
      name: 'diff: table created',
      eventType: 'supabase.table.created',
      eventData: { ...diffBase, kind: 'table.created', after: ORDERS_SNAPSHOT },
      names: 'public.orders',
    },
    {
      name: 'diff: column added',
      eventType: 'supabase.column.added',
      eventData: {
        ...diffBase,
        kind: 'column.added',
        column: 'discount_code',
        after: column(5, 'discount_code', 'text', false),
      },
      names: 'public.orders.discount_code',
    },
    {
      name: 'diff: column renamed',
      eventType: 'supabase.column.renamed',
      eventData: {
        ...diffBase,
        kind: 'column.renamed',
        column: 'total',
        before: column(3, 'amount', 'numeric(10,2)', true),
        after: column(3, 'total', 'numeric(10,2)', true),
      },
      names: 'public.orders.amount',
    },
    {
      name: 'diff: column retyped',
      eventType: 'supabase.column.retyped',
      eventData: {
        ...diffBase,
        kind: 'column.retyped',
        column: 'total',
        before: column(3, 'total', 'integer', true),
        after: column(3, 'total', 'numeric(10,2)', true),
      },
      names: 'public.orders.total',
    },
    {
      name: 'diff: column dropped',
      eventType: 'supabase.column.dropped',
      eventData: {
        ...diffBase,
        kind: 'column.dropped',
        column: 'legacy_ref',
        before: column(6, 'legacy_ref', 'text', false),
        constraints: [],
      },
      names: 'public.orders.legacy_ref',
    },
    {
      name: 'diff: table dropped',
      eventType: 'supabase.table.dropped',
      eventData: {
        ...diffBase,
        table: 'legacy_orders',
        kind: 'table.dropped',
        before: { ...ORDERS_SNAPSHOT, name: 'legacy_orders' },
      },
      names: 'public.legacy_orders',
    },
    {
      name: 'diff: constraint altered',
      eventType: 'supabase.constraint.changed',
      eventData: {
        ...diffBase,
        kind: 'constraint.altered',
        constraint: 'orders_total_check',
        before: ORDERS_SNAPSHOT.constraints[2],
        after: { ...ORDERS_SNAPSHOT.constraints[2], definition: 'CHECK ((total > (0)::numeric))' },
      },
      names: 'orders_total_check',
    },
    {
      name: 'diff: RLS disabled',
      eventType: 'supabase.schema.changed',
      eventData: { ...diffBase, kind: 'table.rls_changed', before: true, after: false },
      names: 'public.orders',
    },
    {
      name: 'ddl trigger: function created',
      eventType: 'supabase.schema.changed',
      eventData: {
        detectedBy: 'ddl_trigger',
        kind: 'ddl',
        id: '7',
        commandTag: 'CREATE FUNCTION',
        objectType: 'function',
        schemaName: 'public',
        objectIdentity: 'public.order_total(bigint)',
        occurredAt: '2026-03-02T10:00:00.000Z',
      },
      names: 'public.order_total(bigint)',
    },
    {
      name: 'migrations check: pending',
      eventType: 'supabase.migration.pending',
      eventData: {
        detectedBy: 'migrations_check',
        status: 'pending',
        version: '20260301120000',
        name: 'create_invoices',
        file: '20260301120000_create_invoices.sql',
        latestApplied: '20260201000000',
        dedupeKey: 'm1',
      },
      names: '20260301120000_create_invoices.sql',
    },
    {
      name: 'migrations check: out of order',
      eventType: 'supabase.migration.pending',
      eventData: {
        detectedBy: 'migrations_check',
        status: 'out_of_order',
        version: '20260115000000',
        name: 'backfill',
        file: '20260115000000_backfill.sql',
        latestApplied: '20260201000000',
        dedupeKey: 'm2',
      },
      names: '20260115000000_backfill.sql',
    },
    {
      name: 'migrations check: missing locally',
      eventType: 'supabase.migration.pending',
      eventData: {
        detectedBy: 'migrations_check',
        status: 'missing_locally',
        version: '20260120000000',
        name: 'hotfix',
        file: null,
        latestApplied: '20260201000000',
        dedupeKey: 'm3',
      },
      names: '20260120000000',
    },
    {
      name: 'polled low stock',
      eventType: 'shopify.inventory.low',
      eventData: parse(
        '{"inventory_item_id": 271878346596884015, "available": 3, "threshold": 5, "title": "Example T-Shirt", ' +
          '"variant_title": "Small", "sku": "TS-S", "_lookout": {"via": "poll"}}',
      ),
      context: { orderVelocity: 1.5 },
      names: 'Example T-Shirt (Small)',
    },
    {
      name: 'row inserted',
      eventType: 'supabase.row.inserted',
      eventData: {
        type: 'INSERT',
        schema: 'public',
        table: 'profiles',
        record: { id: 42, email: 'ana@example.com' },
        old_record: null,
      },
      names: 'public.profiles',
    },
    {
      name: 'row updated',
      eventType: 'supabase.row.updated',
      eventData: {
        type: 'UPDATE',
        schema: 'public',
        table: 'profiles',
        record: { id: 42, email: 'new@example.com' },
        old_record: { id: 42, email: 'ana@example.com' },
      },
      names: 'public.profiles',
    },
    {
      name: 'row deleted',
      eventType: 'supabase.row.deleted',
      eventData: { type: 'DELETE', schema: 'public', table: 'profiles', record: null, old_record: { id: 42 } },
      names: 'public.profiles',
    },
    {
      name: 'calendar launch',
      eventType: 'calendar.event.upcoming',
      eventData: {
        uid: 'evt-1@example.com',
        summary: 'Summer drop launch',
        start: '2026-06-01T16:00:00Z',
        end: '2026-06-01T17:00:00Z',
      },
      context: { product: shopifyFixture('2026-04/products__create.json') },
      names: 'Example T-Shirt',
    },
    {
      name: 'calendar meeting',
      eventType: 'calendar.event.upcoming',
      eventData: {
        uid: 'evt-2@example.com',
        summary: 'Weekly ops sync',
        start: '2026-06-03T09:00:00Z',
        location: 'Zoom',
        description: '- Stock review\n- Schema changes',
      },
      context: {
        relatedEvents: [
          { eventType: 'shopify.inventory.low', title: 'Example T-Shirt (Small)', at: '2026-06-01T08:00:00Z' },
          {
            eventType: 'supabase.migration.pending',
            title: '20260301120000_create_invoices.sql',
            at: '2026-06-02T08:00:00Z',
          },
        ],
      },
      names: 'Weekly ops sync',
    },
    {
      name: 'signed webhook: the sender type and the fields of its data',
      eventType: 'signed.event.received',
      eventData: {
        type: 'invoice.paid',
        timestamp: '2026-06-01T08:00:00Z',
        data: { id: 'in_1PQ', amount_paid: 4200, currency: 'eur', customer: { email: 'ana@example.com' } },
      },
      names: 'invoice.paid',
    },
    {
      name: 'signed webhook: a body without type or data',
      eventType: 'signed.event.received',
      eventData: { form: 'Contact', message: 'Do you ship to Norway?' },
      names: 'Do you ship to Norway?',
    },
  ];
}

export function inputFor(c: Case, profile: UserProfile = {}, vibe: Vibe = {}): SuggestionInput {
  return {
    eventType: c.eventType,
    eventId: `evt-${c.name.replace(/\W+/g, '-')}`,
    eventData: c.eventData,
    context: c.context,
    profile,
    vibe,
  };
}

/** Every string in a draft, content included, for "never anywhere" assertions. */
export function allText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(allText).join('\n');
  if (value && typeof value === 'object') return Object.values(value).map(allText).join('\n');
  return '';
}
