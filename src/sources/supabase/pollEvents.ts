import { type DdlLogEntry, ddlLogIdentity, ddlLogRestarted, readDdlLog } from './ddlTrigger.js';
import { DEFAULT_EXCLUDED_SCHEMAS, type SchemaSnapshot } from './schemaSnapshot.js';
import type { SupabaseAdapter } from './supabaseAdapter.js';
import { DELIVER_SCHEMA, WEBHOOK_TRIGGER_NAME } from './webhookInstall.js';

/** An event type this source emits (its specs in eventTypes.ts are the list). */
type EventType = string;

/**
 * What one Supabase integration remembers between polls. The snapshot can be megabytes for a
 * large project: keep it in schema_snapshots (snapshotStore.ts) and only the cursor in poll_state.
 */
export interface SupabasePollState {
  /** The catalog as last seen; null until the first (baseline) poll. */
  snapshot: SchemaSnapshot | null;
  /**
   * Last lookout.ddl_log id read and which log (`id@oid`); '0' while there is no log; null in
   * state kept before the cursor was.
   */
  ddlLogCursor: string | null;
  /** Whether the last poll found the DDL trigger's log (the real-time listener waits for it). */
  ddlTrigger?: boolean;
}

export interface PolledSupabaseEvent {
  eventType: EventType;
  /** Lookout's own description of the change (not an external payload, so serialising is fine). */
  eventDataJson: string;
  eventTimestamp: Date;
  dedupeKey: string;
}

export interface PollSupabaseOptions {
  /** Prefix of every dedupe key, normally the integration id: two projects have the same oids. */
  scope?: string;
  now?: Date;
}

export interface PollSupabaseResult {
  events: PolledSupabaseEvent[];
  state: SupabasePollState;
  /** True when this poll only took the baseline. */
  baseline: boolean;
  /** Non-fatal problems (an unreadable migrations folder): schema events were still produced. */
  problems: string[];
}

/**
 * Object types of the DDL log that the table diff already reports (tables, columns, constraints)
 * or that are side effects of them (the index behind a primary key, the sequence behind serial):
 * logging them again would double every event. What remains (views, functions, policies,
 * triggers, types, schemas) the diff cannot see, so the log is the only source for those.
 */
const DIFF_COVERED_OBJECT_TYPES = new Set([
  'table',
  'table column',
  'table constraint',
  'index',
  'sequence',
  'toast table',
]);

/** The webhook triggers and delivery function Lookout itself installed are not the user's schema changes. */
function isLookoutsOwn(entry: DdlLogEntry): boolean {
  return (
    entry.schemaName === DELIVER_SCHEMA ||
    entry.objectIdentity === DELIVER_SCHEMA ||
    (entry.objectType === 'trigger' && (entry.objectIdentity ?? '').startsWith(`${WEBHOOK_TRIGGER_NAME} on `))
  );
}

/**
 * One poll of one project. The caller stores `events` (idempotently, by dedupe key) and then
 * `state`; a crash between the two only repeats events that storage then ignores.
 *
 * The first poll records a baseline and emits no table events: the catalog at connection time is
 * the project as it already was, and announcing every existing table as "created" would bury the
 * user in suggestions about tables built months ago. Migration findings are emitted from the
 * first poll on, because an unapplied migration is worth knowing about whenever it appeared.
 */
export async function pollSupabase(
  adapter: SupabaseAdapter,
  state: SupabasePollState,
  opts: PollSupabaseOptions = {},
): Promise<PollSupabaseResult> {
  const now = opts.now ?? new Date();
  const prefix = opts.scope ? `${opts.scope}:` : '';
  const events: PolledSupabaseEvent[] = [];
  const problems: string[] = [];

  const previous = state.snapshot?.version === 1 ? state.snapshot : null;
  // Read the DDL log before the snapshot: an entry logged after the snapshot is then read next
  // time, never skipped.
  let ddlLogCursor = state.ddlLogCursor;
  let ddl: DdlLogEntry[] = [];
  const logId = await ddlLogIdentity(adapter.db);
  const ddlTrigger = logId !== null;
  if (logId !== null) {
    // The cursor is `id@log`: a reinstalled trigger makes a new log whose ids begin again, so a
    // cursor of another log (or, kept before logs were told apart, one past its end) reads from 0.
    const [afterId, cursorLog] = (ddlLogCursor ?? '').split('@');
    let from = ddlLogCursor === null ? null : afterId!;
    if (cursorLog !== undefined ? cursorLog !== logId : from !== null && (await ddlLogRestarted(adapter.db, from)))
      from = '0';
    ddl = await readDdlLog(adapter.db, from, 10_000);
    ddlLogCursor = `${ddl.at(-1)?.id ?? from ?? '0'}@${logId}`;
    // Backlog is only what was recorded before Lookout first looked (the baseline snapshot covers
    // it). A log first seen later was installed after the baseline, so all of it is news; a state
    // kept before the cursor was, has only the last snapshot's time to tell.
    if (previous === null) ddl = [];
    else if (state.ddlLogCursor === null) {
      const since = Date.parse(previous.takenAt);
      ddl = ddl.filter((e) => e.occurredAt.getTime() >= since);
    }
  } else {
    // No log yet: when one appears, every entry in it came after this poll.
    ddlLogCursor = '0';
  }

  const { changes, snapshot } = await adapter.detectSchemaChanges(previous);
  for (const change of changes) {
    events.push({
      eventType: adapter.schemaChangeToEventType(change),
      eventDataJson: JSON.stringify({ detectedBy: 'schema_diff', ...change }),
      eventTimestamp: now,
      dedupeKey: `${prefix}schema:${change.dedupeKey}`,
    });
  }

  const { schemas, excludeSchemas } = adapter.schemaFilter;
  const excluded = new Set(excludeSchemas ?? DEFAULT_EXCLUDED_SCHEMAS);
  const watched = (schema: string | null) =>
    schema === null || (!excluded.has(schema) && (schemas === undefined || schemas.includes(schema)));
  for (const entry of ddl) {
    if (entry.objectType !== null && DIFF_COVERED_OBJECT_TYPES.has(entry.objectType)) continue;
    if (!watched(entry.schemaName)) continue;
    if (isLookoutsOwn(entry)) continue;
    events.push({
      eventType: 'supabase.schema.changed',
      eventDataJson: JSON.stringify({ detectedBy: 'ddl_trigger', kind: 'ddl', ...entry }),
      eventTimestamp: entry.occurredAt,
      // The time as well as the id: reinstalling the trigger restarts the id sequence.
      dedupeKey: `${prefix}ddl:${entry.id}:${entry.occurredAt.getTime()}`,
    });
  }

  try {
    const migrationsDir = adapter.migrationsLabel;
    for (const finding of await adapter.checkPendingMigrations()) {
      events.push({
        eventType: 'supabase.migration.pending',
        eventDataJson: JSON.stringify({
          detectedBy: 'migrations_check',
          ...finding,
          ...(migrationsDir ? { migrationsDir } : {}),
        }),
        eventTimestamp: now,
        dedupeKey: `${prefix}${finding.dedupeKey}`,
      });
    }
  } catch (err) {
    problems.push(`migrations check failed: ${err instanceof Error ? err.message : String(err)}`);
  }

  return { events, state: { snapshot, ddlLogCursor, ddlTrigger }, baseline: previous === null, problems };
}
