import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { insertEvents } from '../../src/db/queries/events.js';
import { createUserWithKey } from '../../src/db/queries/users.js';
import { createLogger, serializeError } from '../../src/lib/logger.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { fixtureBody, shopifyHeaders } from '../helpers/shopify.js';
import { waitFor } from '../helpers/wait.js';

const SHOPIFY_SECRET = 'test-shopify-secret';
/** A customer's address no log line may show, and text only the payload holds. */
const CUSTOMER_EMAIL = 'jane.customer@example-shop.com';
const PAYLOAD_TEXT = 'Leave the parcel behind the blue gate';

/** A pino destination that keeps every line, for the test to read. */
function captured(): { stream: Writable; text: () => string; lines: () => Array<Record<string, unknown>> } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  return {
    stream,
    text: () => out,
    lines: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** The order fixture as a customer's order: their email everywhere Shopify puts one, a note. */
let orders = 0;
/** A new order each call: orders/create deduplicates on the order id, so every body gets its own. */
function orderBody(note: string): Buffer {
  const order = JSON.parse(fixtureBody('orders/create').toString()) as Record<string, unknown>;
  order.id = 7_000_000_000 + (Date.now() % 1e8) * 10 + (orders++ % 10);
  order.admin_graphql_api_id = `gid://shopify/Order/${order.id}`;
  order.email = CUSTOMER_EMAIL;
  order.contact_email = CUSTOMER_EMAIL;
  order.customer = { ...(order.customer as object), email: CUSTOMER_EMAIL };
  order.note = `${note} ${PAYLOAD_TEXT}`;
  return Buffer.from(JSON.stringify(order));
}

function assertClean(output: string, secrets: string[]): void {
  assert.ok(!output.includes(CUSTOMER_EMAIL), `a customer email reached the log:\n${output}`);
  for (const text of [PAYLOAD_TEXT, 'reject-on-insert', 'fail-processing'])
    assert.ok(!output.includes(text), `payload text reached the log:\n${output}`);
  for (const s of secrets) assert.ok(!output.includes(s), `a secret reached the log: ${s.slice(0, 6)}...`);
  assert.doesNotMatch(output, /"(params|query|detail|where|internalQuery)":/, 'no raw database error fields');
}

describeEachEngine('payloads and secrets never reach a log line', (fx) => {
  before(async () => {
    // Rows whose note says so cannot be stored, or cannot be marked processed: real database
    // errors, raised by the engine with the row (payload and all) in their detail.
    await fx.db.exec(`
      alter table background_events add constraint test_reject_on_insert
        check (event_data->>'note' is null or event_data->>'note' not like 'reject-on-insert%') not valid;
      alter table background_events add constraint test_reject_on_processed
        check (status <> 'processed' or event_data->>'note' is null
          or event_data->>'note' not like 'fail-processing%') not valid;
    `);
  });

  test('a failing insert of an order: the engine error quotes the order, the log line does not', async () => {
    const { id: userId } = await createUserWithKey(fx.db, { email: `log-${randomUUID()}@example.com` });
    const err = await insertEvents(fx.db, [
      {
        userId,
        integrationId: null,
        source: 'shopify',
        eventType: 'shopify.order.created',
        eventDataJson: orderBody('reject-on-insert').toString(),
        eventTimestamp: new Date(),
        dedupeKey: randomUUID(),
        via: 'webhook',
      },
    ]).then(
      () => assert.fail('the insert should have failed'),
      (e: unknown) => e as Error & Record<string, unknown>,
    );
    // The premise: what the engine hands back quotes the order (PostgreSQL's detail shows the
    // failing row's first characters; PGlite also returns every bound parameter, email included).
    assert.match(JSON.stringify({ ...err }), /reject-on-insert/);
    if (fx.engine === 'pglite') assert.ok(JSON.stringify({ ...err }).includes(CUSTOMER_EMAIL));

    const log = captured();
    const logger = createLogger('info', 'lookout', log.stream);
    logger.error({ err }, 'insert failed');
    logger.error(err);
    logger.warn({ err: new Error('batch failed', { cause: err }) }, 'wrapped');
    logger.warn({ err: new AggregateError([err], 'several failed') }, 'aggregated');
    assertClean(log.text(), []);
    const [first] = log.lines();
    const e = first!.err as Record<string, unknown>;
    assert.equal(e.code, '23514', 'the SQLSTATE is kept');
    assert.equal(e.constraint, 'test_reject_on_insert', 'and the constraint');
    assert.equal(e.type, 'DatabaseError');
  });

  {
    let app: TestApp;
    let log: ReturnType<typeof captured>;
    let user: { id: string; apiKey: string };
    let shop: string;
    before(async () => {
      log = captured();
      app = await startTestApp(
        fx.db,
        {},
        { role: 'all', log: createLogger('debug', 'lookout', log.stream), worker: { backstopMs: 50 } },
      );
      user = await app.createUser();
      shop = `logs-${randomUUID().slice(0, 8)}.myshopify.com`;
      await app.connectShop(user, shop);
      const prefs = await app.call('PUT', '/api/preferences', {
        key: user.apiKey,
        body: { flow: { batchWindowSeconds: 0, maxPerTypePerHour: 10_000 } },
      });
      assert.equal(prefs.status, 200, prefs.text);
    });
    after(() => app.close());

    const secrets = () => [SHOPIFY_SECRET, ADMIN_TOKEN, user.apiKey];

    test(
      'a webhook whose order cannot be stored, among others that can: no email, no payload, no ' + 'secret in the log',
      async () => {
        const deliveries = Array.from({ length: 8 }, (_, i) => orderBody(i === 3 ? 'reject-on-insert' : `fine ${i}`));
        const answers = await Promise.all(
          deliveries.map((body) =>
            app.call('POST', '/webhooks/shopify', {
              raw: body,
              headers: shopifyHeaders('orders/create', shop, body, SHOPIFY_SECRET),
            }),
          ),
        );
        const failed = answers.filter((a) => a.status >= 500);
        if (failed.length > 0) {
          // A failure to store is logged, with what failed: the SQLSTATE of the check.
          await waitFor(() => log.text().includes('23514'), 'the storage failure in the log', 5_000);
        }
        assertClean(log.text(), secrets());
      },
    );

    test('an order whose processing fails: the worker logs the failure and its code, not the order', async () => {
      const body = orderBody('fail-processing');
      const res = await app.call('POST', '/webhooks/shopify', {
        raw: body,
        headers: shopifyHeaders('orders/create', shop, body, SHOPIFY_SECRET),
      });
      assert.equal(res.status, 200, res.text);
      await waitFor(async () => {
        const { rows } = await fx.db.query<{ last_error: string | null }>(
          `select last_error from background_events where user_id = $1 and event_data->>'note' like 'fail-processing%'`,
          [user.id],
        );
        return rows[0]?.last_error;
      }, 'a failed processing attempt');
      await waitFor(() => /event failed/.test(log.text()), 'the failure in the log', 5_000);
      const line = log.lines().find((l) => l.msg === 'event failed: will retry');
      assert.equal((line?.err as { code?: string } | undefined)?.code, '23514');
      assertClean(log.text(), secrets());
    });
  }
});

test('the error serializer keeps what failed and drops what errors carry from HTTP clients', () => {
  const apiError = Object.assign(new Error(`Bad Request: model said ${CUSTOMER_EMAIL}`), {
    statusCode: 400,
    url: 'https://llm.example/v1/chat/completions?key=sk-secret',
    requestBodyValues: { messages: [{ role: 'user', content: PAYLOAD_TEXT }] },
    responseBody: `{"error":"${PAYLOAD_TEXT}"}`,
    isRetryable: false,
  });
  const out = JSON.stringify(serializeError(apiError));
  assert.ok(!out.includes(PAYLOAD_TEXT));
  assert.ok(!out.includes(CUSTOMER_EMAIL));
  assert.ok(!out.includes('sk-secret'));
  assert.match(out, /"statusCode":400/);
  assert.match(out, /Bad Request: model said \[email\]/);

  let json: unknown;
  try {
    JSON.parse(`{"email": "${CUSTOMER_EMAIL}", "note": "${PAYLOAD_TEXT}" oops}`);
  } catch (e) {
    json = e;
  }
  const parsed = JSON.stringify(serializeError(json));
  assert.ok(!parsed.includes(PAYLOAD_TEXT) && !parsed.includes(CUSTOMER_EMAIL), parsed);
  assert.match(parsed, /SyntaxError/);
});
