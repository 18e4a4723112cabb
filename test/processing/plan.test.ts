import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventType } from '../../src/events.js';
import { type Preferences, readStoredPreferences } from '../../src/preferences.js';
import type { ClaimedEvent } from '../../src/processing/claimedEvent.js';
import {
  decideCommit,
  type Group,
  groupSettlesAt,
  MAX_WAIT_WINDOWS,
  type Plan,
  type PlanInputs,
  planClaimed,
  planGroup,
} from '../../src/processing/plan.js';

/** The pure half of processing: what claimed events become, decided without a database or a clock. */

const T0 = Date.parse('2026-12-01T10:00:00Z');
const USER = '00000000-0000-4000-8000-000000000001';
let counter = 0;

function event(type: EventType, data: Record<string, unknown> = {}, o: Partial<ClaimedEvent> = {}): ClaimedEvent {
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    userId: USER,
    integrationId: null,
    eventType: type,
    source: type.split('.')[0] as ClaimedEvent['source'],
    decisionJson: JSON.stringify(data),
    eventTimestamp: new Date(T0),
    receivedAt: new Date(T0 + counter),
    attempts: 1,
    subject: `gid://shopify/Product/${counter}`,
    ...o,
  };
}

function prefsWith(o: { flow?: Partial<Preferences['flow']>; filters?: Preferences['filters']; auto?: boolean } = {}) {
  const stored = readStoredPreferences({});
  const p: Preferences = {
    ...stored,
    flow: { ...stored.flow, ...o.flow },
    filters: { ...stored.filters, ...o.filters },
    autoSuggest: o.auto ?? true,
    profile: {},
    vibe: {},
  };
  return p;
}

const inputs = (p: Preferences): PlanInputs => ({
  prefs: new Map([[USER, p]]),
  dataOf: (e) => JSON.parse(e.decisionJson) as Record<string, unknown>,
});

const kinds = (plans: Plan[]) =>
  plans.map((p) => (p.kind === 'skip' ? `skip:${p.reason}` : p.kind === 'suggest' ? `suggest:${p.via}` : p.kind));

describe('planClaimed: each claimed event alone, or into its group', () => {
  const noCoalescing = prefsWith({ flow: { debounceSeconds: 0, batchWindowSeconds: 0 } });

  test('an event of a user who no longer exists, a compliance request, a row change', () => {
    const gone = event('shopify.product.created', {}, { userId: '00000000-0000-4000-8000-00000000dead' });
    const redact = event('shopify.customers.redact');
    const row = event('supabase.row.inserted', { table: 'orders' });
    const { plans, groups } = planClaimed([gone, redact, row], inputs(noCoalescing));
    assert.deepEqual(kinds(plans), ['skip:no_user', 'system', 'skip:not_warranted']);
    assert.equal(groups.length, 0);
  });

  test('auto-suggest off, the type filters, the product filters and the minimum importance', () => {
    const product = event('shopify.product.created', { product_type: 'Mugs', status: 'active' });
    assert.deepEqual(kinds(planClaimed([product], inputs(prefsWith({ auto: false }))).plans), [
      'skip:auto_suggest_off',
    ]);
    const filters = (f: Preferences['filters']) =>
      kinds(planClaimed([product], inputs(prefsWith({ flow: noCoalescing.flow, filters: f }))).plans);
    assert.deepEqual(filters({ excludeEventTypes: ['shopify.product.created'] }), ['skip:filtered']);
    assert.deepEqual(filters({ productTypes: ['Hoodies'] }), ['skip:filtered']);
    assert.deepEqual(filters({ productTypes: ['mugs'] }), ['suggest:single']);
    // A product's base importance is 80; a draft loses 25.
    assert.deepEqual(filters({ minImportance: 80 }), ['suggest:single']);
    const draft = event('shopify.product.created', { status: 'draft' });
    assert.deepEqual(
      kinds(planClaimed([draft], inputs(prefsWith({ flow: noCoalescing.flow, filters: { minImportance: 80 } }))).plans),
      ['skip:low_importance'],
    );
  });

  test('a stock level becomes low stock at or under the threshold, and is kept otherwise', () => {
    const p = noCoalescing;
    const low = event('shopify.inventory.updated', { available: p.thresholds.lowStock });
    const fine = event('shopify.inventory.updated', { available: p.thresholds.lowStock + 1 });
    const { plans } = planClaimed([low, fine], inputs(p));
    assert.deepEqual(kinds(plans), ['suggest:single', 'skip:not_low']);
    assert.equal((plans[0] as { effectiveType: string }).effectiveType, 'shopify.inventory.low');
  });

  test(
    'with flow control on, creations batch per type and updates debounce per object; a level not ' + 'low still joins',
    () => {
      const p = prefsWith();
      const a = event('shopify.product.created');
      const b = event('shopify.product.created');
      const u1 = event('shopify.product.updated', {}, { subject: 'gid://shopify/Product/7' });
      const u2 = event('shopify.product.updated', {}, { subject: 'gid://shopify/Product/7' });
      const level = event(
        'shopify.inventory.updated',
        { available: 500 },
        { subject: 'gid://shopify/InventoryItem/9' },
      );
      const orphan = event('shopify.product.updated', {}, { subject: null });
      const { plans, groups } = planClaimed([a, b, u1, u2, level, orphan], inputs(p));
      assert.deepEqual(kinds(plans), ['suggest:single'], 'an update without a subject cannot debounce');
      assert.deepEqual(
        groups.map((g) => [g.coalescing.kind, g.eventType, g.claimed.length]),
        [
          ['batch', 'shopify.product.created', 2],
          ['debounce', 'shopify.product.updated', 2],
          ['debounce', 'shopify.inventory.updated', 1],
        ],
      );
    },
  );
});

describe('groups: when they settle and what they become', () => {
  const p = prefsWith();
  const group = (claimed: ClaimedEvent[], kind: 'batch' | 'debounce'): Group => ({
    key: 'k',
    userId: USER,
    eventType: claimed[0]!.eventType,
    subject: claimed[0]!.subject,
    bySubject: kind === 'debounce',
    coalescing:
      kind === 'batch'
        ? { kind, windowSeconds: 10, minEvents: p.flow.batchMinEvents }
        : { kind, windowSeconds: p.flow.debounceSeconds },
    claimed,
  });

  test('quiet a window after the newest, but never later than six windows after the oldest', () => {
    const e = event('shopify.product.created', {}, { receivedAt: new Date(T0) });
    const g = group([e], 'batch');
    assert.equal(groupSettlesAt(g, { oldest: null, newest: null }).getTime(), T0 + 10_000);
    assert.equal(groupSettlesAt(g, { oldest: new Date(T0), newest: new Date(T0 + 30_000) }).getTime(), T0 + 40_000);
    assert.equal(
      groupSettlesAt(g, { oldest: new Date(T0), newest: new Date(T0 + 3_600_000) }).getTime(),
      T0 + MAX_WAIT_WINDOWS * 10_000,
    );
  });

  test('a debounce makes one suggestion from the newest state, covering every member', () => {
    const members = [1, 2, 3].map(() => event('shopify.product.updated', {}, { subject: 'gid://shopify/Product/7' }));
    const plans = planGroup(group([members[2]!], 'debounce'), members.slice(0, 2), inputs(p));
    assert.deepEqual(kinds(plans), ['suggest:debounced']);
    const s = plans[0] as Extract<Plan, { kind: 'suggest' }>;
    assert.equal(s.primary.id, members[2]!.id);
    assert.deepEqual(
      s.covered.map((e) => e.id),
      members.map((e) => e.id),
    );
  });

  test(
    'a batch of at least the minimum is one summary; fewer are suggested one by one; skipped ' + 'members stay out',
    () => {
      const many = Array.from({ length: p.flow.batchMinEvents }, () => event('shopify.product.created'));
      const hoodie = event('shopify.product.created', { product_type: 'Hoodies' });
      const filtered = prefsWith({ filters: { productTypes: ['Mugs', ''] } });
      const one = planGroup(group([many[0]!], 'batch'), many, inputs(p));
      assert.deepEqual(kinds(one), ['suggest:batched']);
      assert.equal((one[0] as Extract<Plan, { kind: 'suggest' }>).covered.length, p.flow.batchMinEvents);
      const few = planGroup(group([many[0]!], 'batch'), many.slice(0, 2), inputs(p));
      assert.deepEqual(kinds(few), ['suggest:single', 'suggest:single']);
      const mixed = planGroup(group([hoodie], 'batch'), [hoodie], inputs(filtered));
      assert.deepEqual(kinds(mixed), ['skip:filtered']);
    },
  );
});

describe('decideCommit: against the rows as the commit finds them', () => {
  const p = prefsWith({ flow: { maxPerTypePerHour: 2, perType: { 'shopify.order.created': 1 } } });
  let n = 0;
  const ids = () => `id-${++n}`;
  const single = (e: ClaimedEvent): Plan => ({
    kind: 'suggest',
    effectiveType: e.eventType,
    primary: e,
    covered: [e],
    via: 'single',
  });

  test('the hourly limit counts what the window already has, per type, and a per-type limit wins', () => {
    const products = [1, 2, 3].map(() => event('shopify.product.created'));
    const orders = [1, 2].map(() => event('shopify.order.created'));
    const c = decideCommit([...products, ...orders].map(single), {
      writable: () => true,
      prefs: new Map([[USER, p]]),
      rateCounts: new Map([[`${USER}|shopify.product.created`, 1]]),
      repeatedAlerts: new Set(),
      newId: ids,
    });
    assert.deepEqual(
      [...products, ...orders].map((e) => c.outcomes.get(e.id)?.kind),
      ['suggested', 'skipped', 'skipped', 'suggested', 'skipped'],
    );
    assert.equal(c.suggestions.length, 2);
    assert.ok(c.done.some((d) => d.outcome === 'rate_limited' && d.type === 'shopify.order.created'));
  });

  test(
    'rows another worker finished are superseded; a repeated alert, a deferral and a system ' +
      'request are kept apart',
    () => {
      const mine = event('shopify.product.created');
      const taken = event('shopify.product.created');
      const alert = event('shopify.inventory.low');
      const later = event('shopify.product.updated');
      const redact = event('shopify.shop.redact');
      const c = decideCommit(
        [
          single(mine),
          single(taken),
          single(alert),
          { kind: 'defer', events: [later], until: new Date(T0 + 60_000) },
          { kind: 'system', event: redact },
        ],
        {
          writable: (e) => e.id !== taken.id,
          prefs: new Map([[USER, p]]),
          rateCounts: new Map(),
          repeatedAlerts: new Set([alert.id]),
          newId: ids,
        },
      );
      assert.equal(c.outcomes.get(mine.id)?.kind, 'suggested');
      assert.deepEqual(c.outcomes.get(taken.id), { kind: 'superseded' });
      assert.deepEqual(c.outcomes.get(alert.id), { kind: 'skipped', reason: 'already_alerted' });
      assert.deepEqual(c.deferred, [{ id: later.id, until: new Date(T0 + 60_000) }]);
      assert.deepEqual(
        c.system.map((e) => e.id),
        [redact.id],
      );
      assert.equal(c.outcomes.has(redact.id), false, "a system request's outcome is known once it ran");
    },
  );
});
