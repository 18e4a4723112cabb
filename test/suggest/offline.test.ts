import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_TYPES } from '../../src/events/registry.js';
import { generateOffline, offlineGenerator } from '../../src/suggest/offline/offlineGenerator.js';
import { renderOffline } from '../../src/suggest/offline/renderOffline.js';
import { allCases, allText, inputFor, shopifyFixture } from './suggestFixtures.js';

describe('offline generator: every event type names what it is about', () => {
  for (const c of allCases()) {
    it(c.name, () => {
      const draft = renderOffline(inputFor(c));
      assert.ok(draft.title.length > 0 && draft.body.length > 0);
      assert.ok(
        draft.title.includes(c.names) || draft.body.includes(c.names),
        `expected "${c.names}" in:\n${draft.title}\n${draft.body}`,
      );
      assert.equal(typeof draft.content, 'object');
    });
  }

  it('covers every event type in src/events.ts', () => {
    const covered = new Set(allCases().map((c) => c.eventType));
    assert.deepEqual(
      EVENT_TYPES.filter((t) => !covered.has(t)),
      [],
    );
  });

  it('names the subject in the title itself for the main Shopify and Supabase types', () => {
    for (const c of allCases().filter((x) =>
      /product\.created|collection|order|table\.created|migration/.test(x.eventType),
    )) {
      assert.ok(renderOffline(inputFor(c)).title.includes(c.names), c.name);
    }
  });
});

describe('offline generator: product created', () => {
  const input = inputFor(allCases()[0]!);

  it('writes three TikTok hooks, a caption with hashtags from tags and type, and copy with the discount', () => {
    const d = renderOffline(input);
    const hooks = d.content.hooks as string[];
    assert.equal(hooks.length, 3);
    for (const h of hooks) assert.match(h, /Example T-Shirt/);
    const hashtags = d.content.hashtags as string[];
    for (const tag of ['#example', '#mens', '#tshirt', '#shirts']) assert.ok(hashtags.includes(tag), tag);
    assert.match(d.content.caption as string, /#tshirt/);
    // 24.99 -> 19.99 is 20.008% off: said as 20%, never rounded up.
    assert.match(d.content.copy as string, /19\.99/);
    assert.match(d.content.copy as string, /24\.99/);
    assert.match(d.content.copy as string, /20%/);
    assert.equal(d.content.discountPercent, 20);
  });

  it('keeps the exact product id from the gid although the number exceeds 2^53', () => {
    const d = renderOffline(input);
    assert.deepEqual((d.content.product as { id: string }).id, '788032119674292922');
  });

  it('reads the same payload parsed by JSON.parse (ids rounded) without failing', () => {
    const d = renderOffline({
      ...input,
      eventData: JSON.parse(JSON.stringify({ title: 'Plain', variants: [{ price: '5.00' }], id: 1 })),
    });
    assert.match(d.title, /Plain/);
  });

  it('grows with length: long adds a posting plan and email subject lines', () => {
    const short = renderOffline({ ...input, vibe: { length: 'short' } });
    const long = renderOffline({ ...input, vibe: { length: 'long' } });
    assert.ok(long.body.length > short.body.length);
    assert.ok(Array.isArray(long.content.plan));
    assert.equal(short.content.plan, undefined);
    assert.equal((short.content.hooks as string[]).length, 3);
  });

  it('changes wording with the tone', () => {
    const tones = ['friendly', 'professional', 'playful', 'bold'].map(
      (tone) => renderOffline({ ...input, vibe: { tone, emoji: 'none' } }).content.hooks,
    );
    assert.equal(new Set(tones.map((h) => JSON.stringify(h))).size, 4);
  });
});

describe('offline generator: product updated', () => {
  const payload = shopifyFixture('2026-04/products__update.json');

  it('lists the notable fields when no earlier version is known', () => {
    const d = renderOffline({
      eventType: 'shopify.product.updated',
      eventId: 'u1',
      eventData: payload,
      profile: {},
      vibe: {},
    });
    assert.match(d.body, /Price/);
    assert.match(d.body, /19\.99/);
  });

  it('diffs against context.previous and picks copy to match a price drop', () => {
    const previous = { title: 'Example T-Shirt', status: 'active', variants: [{ price: '24.99' }, { price: '24.99' }] };
    const d = renderOffline({
      eventType: 'shopify.product.updated',
      eventId: 'u2',
      eventData: payload,
      context: { previous },
      profile: {},
      vibe: {},
    });
    assert.equal(d.content.kind, 'priceDrop');
    const changes = d.content.changes as Array<{ field: string; before: string; after: string }>;
    const price = changes.find((c) => c.field === 'price');
    assert.deepEqual(price && [price.before, price.after], [24.99, 19.99]);
    assert.match(d.body, /\*\*Price\*\*: 24\.99 → 19\.99/);
    assert.match(d.title, /Price drop on Example T-Shirt/);
  });

  it("sees a restock from Shopify's own old_inventory_quantity", () => {
    const restocked = {
      title: 'Mug',
      variants: [{ price: '9.00', inventory_quantity: 40, old_inventory_quantity: 0 }],
    };
    const d = renderOffline({
      eventType: 'shopify.product.updated',
      eventId: 'u3',
      eventData: restocked,
      profile: {},
      vibe: {},
    });
    assert.equal(d.content.kind, 'backInStock');
    assert.match(d.title, /Mug is back in stock/);
  });
});

describe('offline generator: order created', () => {
  // Shopify's sample is a cancelled test order; a real customer's order is the same without `test`.
  const sample = shopifyFixture('2026-04/orders__create.json') as Record<string, unknown>;
  const order = { ...sample, test: false };

  it('greets by first name and carries no other personal data', () => {
    const d = renderOffline({
      eventType: 'shopify.order.created',
      eventId: 'o1',
      eventData: order,
      profile: {},
      vibe: {},
    });
    const text = allText(d);
    assert.match(d.content.message as string, /John/);
    for (const pii of [
      'Smith',
      'john@example.com',
      'jon@example.com',
      '123 Elm',
      'Ottawa',
      'K2H7A8',
      '123-123-1234',
      '555-625-1199',
    ]) {
      assert.ok(!text.includes(pii), `leaked ${pii}`);
    }
  });

  it('writes a win-back message for a cancelled order and a thank-you otherwise', () => {
    const cancelled = renderOffline({
      eventType: 'shopify.order.created',
      eventId: 'o2',
      eventData: order,
      profile: {},
      vibe: {},
    });
    assert.match(cancelled.content.message as string, /cancel/);
    assert.doesNotMatch(allText(cancelled), /shipping confirmation|ships soon/);
    const open = renderOffline({
      eventType: 'shopify.order.created',
      eventId: 'o3',
      profile: {},
      vibe: {},
      eventData: {
        name: '#1001',
        customer: { first_name: 'Ana' },
        line_items: [{ title: 'Aviator sunglasses', price: '89.99', quantity: 1 }],
      },
    });
    assert.match(open.content.message as string, /thank/i);
    assert.match(open.title, /#1001/);
  });

  it('cross-sells from the catalogue by shared product type, skipping what was bought', () => {
    const d = renderOffline({
      eventType: 'shopify.order.created',
      eventId: 'o4',
      profile: {},
      vibe: {},
      eventData: {
        name: '#1002',
        line_items: [{ title: 'Aviator sunglasses', price: '89.99', quantity: 1, product_id: '1' }],
      },
      context: {
        products: [
          { id: 1, title: 'Aviator sunglasses', product_type: 'Eyewear', variants: [{ price: '89.99' }] },
          { id: 2, title: 'Coffee table', product_type: 'Furniture', variants: [{ price: '119.99' }] },
          { id: 3, title: 'Hard case', product_type: 'Eyewear', variants: [{ price: '24.99' }] },
        ],
      },
    });
    const picks = d.content.crossSell as Array<{ title: string }>;
    assert.equal(picks[0]?.title, 'Hard case');
    assert.ok(!picks.some((p) => p.title === 'Aviator sunglasses'));
    // Nothing in common with the sunglasses: the coffee table is not proposed at all.
    assert.ok(!picks.some((p) => p.title === 'Coffee table'));
  });

  it("answers Shopify's sample (a cancelled test order) with a checkout check, not a customer message", () => {
    const d = renderOffline({
      eventType: 'shopify.order.created',
      eventId: 'o5',
      eventData: sample,
      profile: {},
      vibe: {},
    });
    assert.equal(d.content.message, null);
    assert.equal(d.content.kind, 'test');
    assert.match(d.title, /Test order #9999/);
    assert.doesNotMatch(allText(d), /win back|shipping confirmation|Dear|Hi John/i);
  });

  it('tells first-time and returning customers apart, and cross-sells what others bought with the item', () => {
    const base = {
      eventType: 'shopify.order.created' as const,
      eventId: 'o6',
      eventData: {
        name: '#1003',
        customer: { id: 77, first_name: 'Ana', last_name: 'Ruiz' },
        line_items: [{ title: 'Linen Shirt', price: '49.00', quantity: 1, product_id: 8001 }],
      },
      profile: {},
      vibe: {},
    };
    const first = renderOffline({ ...base, context: { customer: { previousOrders: 0 } } });
    assert.equal(first.content.kind, 'firstTime');
    assert.match(first.title, /First order from Ana/);
    const repeat = renderOffline({
      ...base,
      context: {
        customer: { previousOrders: 2, lastOrderAt: '2026-04-08T10:00:00Z' },
        boughtTogether: [{ productId: '8002', title: 'Canvas Tote', orders: 3, price: 24 }],
      },
    });
    assert.equal(repeat.content.kind, 'repeat');
    assert.match(repeat.body, /Returning customer: 2 earlier orders, the last one on April 8/);
    assert.match(repeat.body, /\*\*Canvas Tote\*\* \(24\.00\): bought with Linen Shirt in 3 orders/);
    assert.match(repeat.content.message as string, /Customers who bought the Linen Shirt often add the Canvas Tote/);
    assert.ok(!allText(repeat).includes('Ruiz'));
  });
});

describe('offline generator: Supabase', () => {
  it('documents a table with types, nullability, defaults, keys and COMMENT ON statements', () => {
    const c = allCases().find((x) => x.name === 'table created')!;
    const d = renderOffline(inputFor(c));
    assert.match(d.body, /\| id \| uuid \| no \| `gen_random_uuid\(\)` \| PK \|/);
    assert.match(d.body, /FK → public\.users/);
    const sql = d.content.sql as string;
    assert.match(sql, /^COMMENT ON TABLE "public"\."orders" IS '.+';$/m);
    assert.match(sql, /^COMMENT ON COLUMN "public"\."orders"\."user_id" IS 'References public\.users\(id\)\.';$/m);
  });

  it('quotes awkward identifiers and literals', () => {
    const c = allCases().find((x) => x.name === 'table created (columns in payload)')!;
    const sql = renderOffline(inputFor(c)).content.sql as string;
    assert.match(sql, /COMMENT ON TABLE "public"\."Order ""Items""" IS /);
    assert.match(sql, /"customer's note" IS 'Customer''s note/);
  });

  it('gives the files and the command for pending migrations', () => {
    const c = allCases().find((x) => x.name === 'migration pending')!;
    const d = renderOffline(inputFor(c));
    assert.match(d.body, /supabase db push/);
    assert.deepEqual(d.content.files, ['20260301120000_create_invoices.sql', '20260302090000_add_discount_code.sql']);
    const local = renderOffline({ ...inputFor(c), eventData: { files: ['1_a.sql'], target: 'local' } });
    assert.equal(local.content.command, 'supabase migration up');
  });

  it('writes a changelog entry grouped as Added / Removed, dated from the payload', () => {
    const c = allCases().find((x) => x.name === 'schema changed')!;
    const changelog = renderOffline(inputFor(c)).content.changelog as string;
    assert.match(changelog, /## \[2026-03-02\]/);
    assert.match(changelog, /### Added[\s\S]*public\.invoices/);
    assert.match(changelog, /### Removed[\s\S]*legacy_ref/);
  });

  it('does not copy row values (personal data) into row notes', () => {
    const c = allCases().find((x) => x.name === 'row updated')!;
    const text = allText(renderOffline(inputFor(c)));
    assert.ok(!text.includes('@example.com'));
    assert.match(text, /email/);
  });
});

describe('offline generator: determinism and runs', () => {
  it('returns the same draft for the same input', () => {
    for (const c of allCases()) {
      const vibe = { tone: 'playful', emoji: 'lots' as const, length: 'long' as const, avoidWords: ['cheap'] };
      assert.deepEqual(
        renderOffline(inputFor(c, { language: 'es' }, vibe)),
        renderOffline(inputFor(c, { language: 'es' }, vibe)),
        c.name,
      );
    }
  });

  it('logs a succeeded offline run with the prompt and the draft as output', async () => {
    const result = await offlineGenerator.generate(inputFor(allCases()[0]!));
    assert.equal(result.run.generator, 'offline');
    assert.equal(result.run.status, 'succeeded');
    assert.equal(result.run.model, null);
    assert.match(result.run.prompt, /^SYSTEM:\n/);
    assert.deepEqual(JSON.parse(result.run.output), result.draft);
    assert.ok(result.run.latencyMs >= 0);
  });

  it('never throws: a template failure becomes a failed run with a minimal draft', () => {
    const hostile = {
      get title(): string {
        throw new Error('boom');
      },
    };
    const result = generateOffline({
      eventType: 'shopify.product.created',
      eventId: 'x1',
      eventData: hostile,
      profile: {},
      vibe: {},
    });
    assert.equal(result.run.status, 'failed');
    assert.match(result.run.error ?? '', /boom/);
    assert.match(result.draft.title, /shopify\.product\.created/);
  });

  it('summarises a batch in one suggestion that names the top product', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({
      title: `Item ${i}`,
      product_type: i % 3 === 0 ? 'Hats' : 'Shirts',
      variants: [{ price: String(10 + i) }],
    }));
    const d = renderOffline({
      eventType: 'shopify.product.created',
      eventId: 'b1',
      eventData: items[0],
      batch: { count: 200, items },
      profile: {},
      vibe: {},
    });
    assert.match(d.title, /200/);
    assert.match(d.title, /Item 199/);
    assert.equal((d.content.top as unknown[]).length, 5);
    assert.deepEqual(d.content.byType, { Shirts: 133, Hats: 67 });
  });
});

describe("offline generator: payloads of Lookout's own Supabase source", () => {
  const byName = (n: string) => allCases().find((x) => x.name === n)!;

  it('documents a table from a pg_catalog snapshot: identity, keys from constraints', () => {
    const d = renderOffline(inputFor(byName('diff: table created')));
    assert.match(d.body, /\| id \| bigint \| no \| `generated always as identity` \| PK \|/);
    assert.match(d.body, /\| user_id \| uuid \| no \| {2}\| FK → public\.profiles\(id\) \|/);
    assert.match(
      d.content.sql as string,
      /COMMENT ON COLUMN "public"\."orders"\."user_id" IS 'References public\.profiles\(id\)\.';/,
    );
  });

  it('reads renames and retypes from before/after column snapshots', () => {
    assert.match(renderOffline(inputFor(byName('diff: column renamed'))).title, /public\.orders\.amount → total/);
    assert.match(renderOffline(inputFor(byName('diff: column retyped'))).title, /\(integer → numeric\(10,2\)\)/);
  });

  it('writes changelog entries for drops, constraint changes, RLS and DDL-trigger events', () => {
    assert.match(
      renderOffline(inputFor(byName('diff: column dropped'))).content.changelog as string,
      /### Removed\n\n- Column `public\.orders\.legacy_ref` \(text\)/,
    );
    assert.match(
      renderOffline(inputFor(byName('diff: constraint altered'))).body,
      /`CHECK \(\(total >= \(0\)::numeric\)\)` → `CHECK \(\(total > \(0\)::numeric\)\)`/,
    );
    const rls = renderOffline(inputFor(byName('diff: RLS disabled')));
    assert.match(rls.body, /Row level security disabled on `public\.orders`: every role/);
    assert.match(rls.body, /alter table public\.orders enable row level security;/);
    const ddl = renderOffline(inputFor(byName('ddl trigger: function created')));
    assert.match(
      ddl.content.changelog as string,
      /## \[2026-03-02\]\n\n### Added\n\n- CREATE FUNCTION `public\.order_total\(bigint\)`/,
    );
  });

  it('picks the command by migration status', () => {
    assert.equal(renderOffline(inputFor(byName('migrations check: pending'))).content.command, 'supabase db push');
    assert.equal(
      renderOffline(inputFor(byName('migrations check: out of order'))).content.command,
      'supabase db push --include-all',
    );
    const missing = renderOffline(inputFor(byName('migrations check: missing locally')));
    assert.ok((missing.content.commands as string[]).includes('supabase migration fetch'));
    assert.match(missing.title, /20260120000000 is applied but missing/);
  });

  it('names polled low-stock payloads from their own title and variant', () => {
    const d = renderOffline(inputFor(byName('polled low stock')));
    assert.match(d.title, /^Restock Example T-Shirt \(Small\): about 2\.0 days of stock left$/);
    assert.equal(d.content.reorderQuantity, Math.ceil(1.5 * 51) - 3);
  });
});
