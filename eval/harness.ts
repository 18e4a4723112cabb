/**
 * Runs one scenario through the real pipeline: a user with the scenario's settings, its history
 * stored as processed events, its events claimed and processed by processEvents with the real
 * enricher (history lookups) and the given generator, then reads back what was stored.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { createUserWithKey, savePreferences } from '../src/db/queries/users.js';
import { createLogger } from '../src/lib/logger.js';
import { SecretBox } from '../src/lib/secretBox.js';
import { Metrics } from '../src/metrics.js';
import { StoredPreferencesSchema } from '../src/preferences.js';
import { CLAIMED_COLUMNS, type ClaimedRow, toClaimed } from '../src/processing/claimedEvent.js';
import { createEnricher } from '../src/processing/enrich.js';
import { processEvents } from '../src/processing/processEvents.js';
import { eventSubject } from '../src/sources/index.js';
import type { SuggestionGenerator } from '../src/suggest/types.js';
import { at } from './build.js';
import type { Output } from './checks.js';
import type { Scenario, StoredEvent } from './scenarios.js';

export interface ScenarioRun {
  output: Output;
  run: { generator: string; status: string; error: string | null; model: string | null };
  outcomes: string[];
}

const SECRET = 'eval-secret-key-0123456789-0123456789';
let counter = 0;

async function insert(
  db: Database,
  userId: string,
  integrationId: string,
  e: StoredEvent,
  state: { status: 'processed' | 'processing'; outcome?: string | null },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into background_events (user_id, integration_id, source, event_type, event_data, event_timestamp,
     received_at,
        dedupe_key, status, outcome, processed_at, suggestion_generated, locked_by, locked_until, subject)
     values ($1, $2, $3, $4, $5::jsonb, $6, $6, $7, $8, $9, case when $8 = 'processed' then $6::timestamptz end, $10,
        case when $8 = 'processing' then 'eval' end, case when $8 = 'processing' then now() + interval '1 hour' end,
          $11)
     returning id`,
    [
      userId,
      integrationId,
      e.source,
      e.type,
      JSON.stringify(e.payload),
      e.at,
      randomUUID(),
      state.status,
      state.outcome ?? null,
      state.outcome === 'suggested',
      // As every insert path does: the source reads the subject from the payload.
      eventSubject(e.source, e.type, JSON.stringify(e.payload)),
    ],
  );
  return rows[0]!.id;
}

export async function runScenario(
  db: Database,
  config: Config,
  s: Scenario,
  generator: SuggestionGenerator,
): Promise<ScenarioRun> {
  counter += 1;
  const user = await createUserWithKey(db, { email: `eval-${counter}-${randomUUID()}@example.com` });
  await savePreferences(db, user.id, {
    autoSuggest: true,
    profile: s.profile,
    vibe: s.vibe,
    stored: StoredPreferencesSchema.parse(s.prefs ?? {}),
    channelCredentials: null,
  });
  const { rows } = await db.query<{ id: string }>(
    `insert into integrations (user_id, kind, shop_domain, created_at, updated_at) values ($1, $2, $3, $4, $4)
     returning id`,
    [
      user.id,
      s.integration.kind,
      s.integration.kind === 'shopify' ? `eval-${counter}.myshopify.com` : null,
      s.integration.createdAt,
    ],
  );
  const integrationId = rows[0]!.id;
  if (s.schemaTables) {
    await db.query('insert into schema_snapshots (integration_id, snapshot, taken_at) values ($1, $2, $3)', [
      integrationId,
      JSON.stringify({ version: 1, takenAt: at({ days: -1 }), tables: s.schemaTables }),
      at({ days: -1 }),
    ]);
  }
  for (const h of s.history) {
    const alert = h.type === 'shopify.inventory.low' || h.outcome === 'suggested';
    await insert(db, user.id, integrationId, h, {
      status: 'processed',
      outcome: h.outcome ?? (alert ? 'suggested' : 'not_warranted'),
    });
  }

  const enrich = createEnricher({ db, config, secrets: new SecretBox(SECRET) });
  const metrics = new Metrics();
  const log = createLogger(process.env.EVAL_LOG_LEVEL ?? 'silent');
  const outcomes: string[] = [];
  const passes = [...new Set(s.events.map((e) => e.pass ?? 1))].sort((a, b) => a - b);
  for (const pass of passes) {
    const ids: string[] = [];
    for (const e of s.events.filter((x) => (x.pass ?? 1) === pass)) {
      ids.push(await insert(db, user.id, integrationId, e, { status: 'processing' }));
    }
    const claimed = await db.query<ClaimedRow>(
      `select ${CLAIMED_COLUMNS} from background_events e where e.id = any($1::uuid[]) order by e.received_at, e.seq`,
      [ids],
    );
    const last = Math.max(...s.events.filter((x) => (x.pass ?? 1) === pass).map((x) => Date.parse(x.at)));
    const result = await processEvents(
      { db, generator, metrics, log, config, enrich, now: () => new Date(last + 86_400_000) },
      claimed.rows.map(toClaimed),
      'eval',
    );
    for (const o of result.values()) outcomes.push(o.kind === 'skipped' ? o.reason : o.kind);
  }

  const suggestions = await db.query<{
    title: string;
    body: string;
    content: Record<string, unknown>;
    prompt: string;
    generator: string;
    status: string;
    error: string | null;
    model: string | null;
  }>(
    `select s.title, s.body, s.content, r.prompt, r.generator, r.status, r.error, r.model
     from suggestions s join agent_runs r on r.id = s.agent_run_id where s.user_id = $1 order by s.seq`,
    [user.id],
  );
  const first = suggestions.rows[0];
  return {
    output: {
      title: first?.title ?? '',
      body: first?.body ?? '',
      content: first?.content ?? {},
      prompt: suggestions.rows.map((r) => r.prompt).join('\n'),
      suggestions: suggestions.rows.length,
    },
    run: {
      generator: first?.generator ?? '-',
      status: first?.status ?? '-',
      error: first?.error ?? null,
      model: first?.model ?? null,
    },
    outcomes,
  };
}
