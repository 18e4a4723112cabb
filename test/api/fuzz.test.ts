/**
 * Generated bad requests against every route of a running Lookout, on both engines. The routes
 * come from the server's own route table (listRoutes), so a route added later is fuzzed without
 * editing this file. Whatever arrives, the answer is never a 5xx, never a hang, always the
 * documented error body for an error, and never another user's data.
 *
 * LOOKOUT_FUZZ_RUNS (default 800 batches of 1-8 requests: about 3,500 requests) sets the size;
 * the run also stops at LOOKOUT_FUZZ_SECONDS (default 30) per engine, so that a machine under
 * heavy load runs fewer requests rather than timing out. LOOKOUT_FUZZ_SEED replays a failure.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { encodeCursor } from '../../src/api/pagination.js';
import { listRoutes } from '../../src/api/server.js';
import { createActionToken } from '../../src/notify/actionLinks.js';
import { ADMIN_TOKEN, PUBLIC_DNS, startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { describeRequest, type FuzzWorld, requestFor } from '../helpers/fuzzRequests.js';
import { checkReply, createTenant, FUZZ_SEED, snapshotTenant, type Tenant } from '../helpers/fuzzTenants.js';
import { sendRaw } from '../helpers/rawHttp.js';

const RUNS = Number(process.env.LOOKOUT_FUZZ_RUNS ?? 800);
const SECONDS = Number(process.env.LOOKOUT_FUZZ_SECONDS ?? 30);
/** Fewer batches than this (a machine too loaded to run them in time) is a failure, not a pass. */
const MIN_RUNS = Math.min(RUNS, 150);

describeEachEngine('fuzz: generated bad requests on every route', (fx) => {
  let app: TestApp;
  let base: URL;
  let agent: http.Agent;
  let A: Tenant;
  let B: Tenant;

  before(async () => {
    // web: the routes, with no worker or poll loop changing rows underneath the checks
    app = await startTestApp(fx.db, {}, { role: 'web', resolveHost: PUBLIC_DNS });
    base = new URL(app.url);
    agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    A = await createTenant(app, fx.db, 'alpha');
    B = await createTenant(app, fx.db, 'bravo');
  });
  after(async () => {
    agent?.destroy();
    await app?.close();
  });

  function world(): FuzzWorld {
    const key = app.lookout.ctx.actionLinks;
    const inAWeek = new Date(Date.now() + 7 * 86_400_000);
    return {
      ownIds: A.ids,
      otherIds: B.ids,
      auth: { user: `Bearer ${A.apiKey}`, admin: `Bearer ${ADMIN_TOKEN}` },
      cursor: fc.oneof(
        fc.constantFrom(...[...A.seqs, ...B.seqs].map((seq) => encodeCursor(seq)!)),
        fc.bigInt({ min: -1n, max: 2n ** 80n }).map((n) => encodeCursor(String(n))!),
        fc
          .constantFrom('9223372036854775807', '9223372036854775808', '18446744073709551616')
          .map((n) => encodeCursor(n)!),
        fc.string({ maxLength: 30 }).map((text) => Buffer.from(text).toString('base64url')),
      ),
      // The caller's own signed links; none for the victim's suggestions (those would be the victim acting).
      actionTokens: A.suggestionIds.flatMap((suggestionId) =>
        (['accept', 'dismiss'] as const).map((action) =>
          createActionToken(key, { suggestionId, userId: A.id, action }, inAWeek),
        ),
      ),
    };
  }

  test(
    'every route answers generated bad requests with 2xx/3xx/4xx, the error body, no hang and nothing ' +
      'of another user',
    async () => {
      const routes = listRoutes(app.lookout.server!);
      const table = new Set(routes.map((r) => `${r.method} ${r.url}`));
      // The table is the server's: spot-check that it is whole, so the fuzz cannot pass on nothing.
      for (const route of [
        'GET /api/events',
        'GET /api/events/:id',
        'PUT /api/preferences',
        'POST /api/integrations',
        'POST /api/admin/dead/replay',
        'POST /webhooks/shopify',
        'POST /webhooks/supabase',
        'GET /api/stream',
        'GET /healthz',
      ])
        assert.ok(table.has(route), `${route} is in the route table`);

      const victimBefore = await snapshotTenant(fx.db, B);
      // The operator may rewrite any user's suggestion on purpose (replaying a processed event regenerates it in
      // place): when the fuzz did, the victim's suggestions are compared without their text.
      let operatorRegenerated = false;
      const seen = new Map<string, Map<number, number>>();
      const started = Date.now();
      let sent = 0;
      let batches = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(requestFor(routes, world()), { minLength: 1, maxLength: 8 }), async (requests) => {
          batches += 1;
          const replies = await Promise.all(
            requests.map(async (req) => {
              try {
                return { req, reply: await sendRaw(base, req, agent) };
              } catch (err) {
                throw new Error(`no answer (${(err as Error).message})\n--- request\n${describeRequest(req)}`);
              }
            }),
          );
          for (const { req, reply } of replies) {
            sent += 1;
            const byStatus = seen.get(req.route) ?? new Map<number, number>();
            byStatus.set(reply.status, (byStatus.get(reply.status) ?? 0) + 1);
            seen.set(req.route, byStatus);
            checkReply(req, reply, B);
            if (req.caller === 'admin' && req.route === 'POST /api/admin/events/:id/replay' && reply.status === 200)
              operatorRegenerated = true;
          }
        }),
        {
          numRuns: RUNS,
          seed: FUZZ_SEED,
          endOnFailure: true,
          interruptAfterTimeLimit: SECONDS * 1000,
          markInterruptAsFailure: false,
        },
      );
      const seconds = (Date.now() - started) / 1000;
      assert.ok(batches >= MIN_RUNS, `only ${batches} batches in ${seconds.toFixed(0)} s: too few to mean anything`);
      console.log(
        `# fuzz [${fx.engine}]: ${sent} requests (${batches} batches) on ${routes.length} routes in ` +
          `${seconds.toFixed(1)} s`,
      );

      // Every route was reached, and the fuzz got past authentication and validation somewhere.
      for (const route of table) assert.ok((seen.get(route)?.size ?? 0) > 0, `${route} was fuzzed`);
      const statuses = new Set([...seen.values()].flatMap((m) => [...m.keys()]));
      for (const status of [200, 400, 401, 404]) assert.ok(statuses.has(status), `some request got ${status}`);

      // The server is whole and the victim's rows are as they were.
      assert.equal((await app.call('GET', '/readyz')).status, 200);
      const withoutText = (snapshot: typeof victimBefore) =>
        operatorRegenerated
          ? { ...snapshot, suggestions: snapshot.suggestions.map(({ title: _title, ...rest }) => rest) }
          : snapshot;
      assert.deepEqual(withoutText(await snapshotTenant(fx.db, B)), withoutText(victimBefore));
    },
  );
});
