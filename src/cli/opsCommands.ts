import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { LockInfo } from '../db/dataDirLock.js';
import {
  allDeadEventIds,
  type DeadEvent,
  listDeadEvents,
  listFailedDeliveries,
  type QueueStats,
  queueStats,
  recentErrors,
} from '../db/queries/ops.js';
import { loadSecretBox } from '../lib/instanceSecrets.js';
import { createLogger } from '../lib/logger.js';
import { listOpenAlerts, type OpenAlert } from '../ops/alerts.js';
import { prometheusRules } from '../ops/prometheusRules.js';
import { createEnricher } from '../processing/enrich.js';
import { replayEvents } from '../processing/eventWorker.js';
import { replayAnyDelivery, replayAnyEvent } from '../processing/regenerate.js';
import { createGenerator } from '../suggest/index.js';

/** How a command reaches the instance: its database directly, or the running embedded server. */
export interface InstanceAccess {
  withDatabase<T>(
    cfg: Config,
    fn: (db: Database) => Promise<T>,
    viaServer?: (holder: LockInfo) => Promise<T>,
    opts?: { migrate?: boolean },
  ): Promise<T>;
  callServer<T>(holder: LockInfo, method: string, path: string, body?: unknown): Promise<T>;
  config(): Config;
}

const REPLAY_CHUNK = 100;

export function addOpsCommands(program: Command, access: InstanceAccess): void {
  const events = program.command('events').description('the event inbox: dead letters and replay');

  events
    .command('dead')
    .description('list dead events and failed notification deliveries')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action(async (opts: { limit: string; json?: boolean }) => {
      const limit = Math.max(1, Math.min(1000, Number(opts.limit) || 50));
      const cfg = access.config();
      const result = await access.withDatabase(
        cfg,
        async (db) => ({
          events: (await listDeadEvents(db, { limit })).items,
          deliveries: await listFailedDeliveries(db, limit),
        }),
        (h) =>
          access.callServer<{ events: DeadEvent[]; deliveries: unknown[] }>(h, 'GET', `/api/admin/dead?limit=${limit}`),
      );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      if (result.events.length === 0) process.stdout.write('no dead events\n');
      for (const e of result.events) {
        process.stdout.write(
          `${e.id}  ${e.eventType.padEnd(30)} attempts=${e.attempts}  ${String(e.lastError ?? '').slice(0, 80)}\n`,
        );
      }
      process.stdout.write(`${result.deliveries.length} failed or retrying notification deliveries\n`);
    });

  events
    .command('replay')
    .description(
      'replay one event, whatever its state (dead or skipped: queued again; with a suggestion: regenerated), ' +
        'or every dead event with --dead',
    )
    .argument('[id]', 'event id')
    .option('--dead', 'replay every dead event')
    .action(async (id: string | undefined, opts: { dead?: boolean }) => {
      if (!id && !opts.dead) throw new Error('give an event id, or --dead for all dead events');
      const cfg = access.config();
      if (id) {
        if (!z.uuid().safeParse(id).success) throw new Error(`${id} is not an event id (a UUID)`);
        const said = await access.withDatabase(
          cfg,
          async (db) => {
            const log = createLogger('silent');
            const r = await replayAnyEvent(
              {
                db,
                log,
                generator: createGenerator(cfg),
                enrich: createEnricher({ db, config: cfg, secrets: await loadSecretBox(cfg, db, log) }),
              },
              id,
              new Date(),
            );
            if (r.kind === 'not_found') throw new Error(`event ${id} not found`);
            if (r.kind === 'conflict') throw new Error(`event ${id}: ${r.message}`);
            return r.kind === 'requeued' ? 'replayed 1 event' : `regenerated suggestion ${r.suggestion.id} in place`;
          },
          async (h) => {
            const r = await access.callServer<{ action: string; suggestion?: { id: string } }>(
              h,
              'POST',
              `/api/admin/events/${id}/replay`,
            );
            return r.action === 'requeued' ? 'replayed 1 event' : `regenerated suggestion ${r.suggestion?.id} in place`;
          },
        );
        process.stdout.write(`${said}\n`);
        return;
      }
      const replayed = await access.withDatabase(
        cfg,
        async (db) => replayWithProgress(await allDeadEventIds(db), (chunk) => replayEvents(db, { ids: chunk })),
        async (h) => {
          // Every dead event, page by page (not only the newest thousand).
          const dead: string[] = [];
          let cursor: string | null = null;
          do {
            const page: { events: DeadEvent[]; nextCursor: string | null } = await access.callServer(
              h,
              'GET',
              `/api/admin/dead?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
            );
            dead.push(...page.events.map((e) => e.id));
            cursor = page.nextCursor;
          } while (cursor);
          return replayWithProgress(
            dead,
            async (chunk) =>
              (await access.callServer<{ ids: string[] }>(h, 'POST', '/api/admin/dead/replay', { ids: chunk })).ids,
          );
        },
      );
      process.stdout.write(`replayed ${replayed.length} event${replayed.length === 1 ? '' : 's'}\n`);
    });

  program
    .command('deliveries')
    .description('notification deliveries')
    .command('replay')
    .description('send one notification delivery again, whatever its state (dead, failed or delivered)')
    .argument('<id>', 'delivery id')
    .action(async (id: string) => {
      if (!z.uuid().safeParse(id).success) throw new Error(`${id} is not a delivery id (a UUID)`);
      await access.withDatabase(
        access.config(),
        async (db) => {
          const r = await replayAnyDelivery(db, id, new Date());
          if (r.kind === 'not_found') throw new Error(`delivery ${id} not found`);
          if (r.kind === 'conflict')
            throw new Error(`delivery ${id} is ${r.reason === 'leased' ? 'being sent now' : 'already waiting'}`);
        },
        async (h) => {
          await access.callServer(h, 'POST', `/api/admin/deliveries/${id}/replay`);
        },
      );
      process.stdout.write('replayed 1 delivery\n');
    });

  program
    .command('status')
    .description('one-screen summary of the instance: role, database, queue, lag, last errors')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const cfg = access.config();
      type Status = {
        role: string;
        database: string;
        queue: QueueStats;
        lastErrors: Array<{ at: string | Date; where: string; error: string }>;
        processes?: Array<{ role: string; n: number }>;
        alerts: OpenAlert[];
      };
      const status = await access.withDatabase<Status>(
        cfg,
        async (db) => ({
          role: 'cli',
          database: db.engine,
          queue: await queueStats(db),
          lastErrors: await recentErrors(db, 5),
          processes: db.engine === 'postgres' ? await processesByRole(db) : undefined,
          alerts: await listOpenAlerts(db),
        }),
        (h) => access.callServer<Status>(h, 'GET', '/api/admin/status'),
      );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
        return;
      }
      const q = status.queue;
      const lines = [
        'Lookout status',
        `  database      ${status.database}${cfg.databaseUrl ? '' : ` (${cfg.dataDir})`}`,
        status.processes
          ? `  connections   ` +
            `${status.processes.map((p) => `${p.role} ${p.n}`).join(', ') || 'no lookout process connected'}`
          : `  serving       ${status.role === 'cli' ? 'no server running' : `role ${status.role}`}`,
        `  queue         ${q.depth} waiting, oldest due ` +
          `${q.oldestPendingAgeS === null ? '-' : `${q.oldestPendingAgeS.toFixed(1)} s ago`}`,
        `  dead events   ${q.dead}${q.dead ? '  (lookout events dead; lookout events replay --dead)' : ''}`,
        `  polls         ${q.overduePolls} overdue, ${q.failingIntegrations} integrations failing`,
        `  deliveries    ${q.deadDeliveries} dead`,
        `  alerts        ${status.alerts.length ? `${status.alerts.length} open` : 'none open'}`,
        ...status.alerts.map(
          (a) =>
            `    ${a.rule.padEnd(22)} since ${new Date(a.openedAt).toISOString()}  ${a.summary.slice(0, 80)}` +
            (a.lastNoticeError ? `\n      last message failed: ${a.lastNoticeError.slice(0, 90)}` : ''),
        ),
        '  last errors',
        ...(status.lastErrors.length
          ? status.lastErrors.map(
              (e) => `    ${new Date(e.at).toISOString()}  ${e.where}: ${String(e.error).slice(0, 90)}`,
            )
          : ['    none']),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  program
    .command('alerts')
    .description('operator alerts')
    .command('prometheus')
    .description('print the alert rules, with the configured thresholds, as a Prometheus rule file (YAML)')
    .action(() => {
      process.stdout.write(prometheusRules(access.config().alerts.thresholds));
    });
}

async function processesByRole(db: Database): Promise<Array<{ role: string; n: number }>> {
  const { rows } = await db.query<{ role: string; n: number }>(
    `select replace(application_name, 'lookout-', '') as role, count(*)::int as n from pg_stat_activity
     where datname = current_database() and application_name in ('lookout-all', 'lookout-web', 'lookout-worker')
     group by 1 order by 1`,
  );
  return rows;
}

/** Replays in chunks with a progress bar on a terminal (plain output otherwise). */
async function replayWithProgress(ids: string[], replay: (chunk: string[]) => Promise<string[]>): Promise<string[]> {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: 'replaying [{bar}] {value}/{total}', stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(ids.length, 0);
  const done: string[] = [];
  for (let i = 0; i < ids.length; i += REPLAY_CHUNK) {
    done.push(...(await replay(ids.slice(i, i + REPLAY_CHUNK))));
    bar?.update(Math.min(ids.length, i + REPLAY_CHUNK));
  }
  bar?.stop();
  return done;
}
