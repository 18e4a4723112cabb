import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Queryable } from '../db/database.js';
import { requireUser } from './auth.js';
import type { App } from './server.js';

/**
 * GET /api/stats: what the dashboard's chart shows. Suggestions per calendar day (in the
 * caller's time zone) over the last `days` days, the acceptance rate of those the user acted on,
 * and event counts by source and type over the same window. Scoped to the key's user.
 */

const timeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as Europe/Paris');

const StatsQuery = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30),
  tz: timeZone.default('UTC'),
});

const DayStats = z.object({
  date: z.string(),
  total: z.number().int(),
  accepted: z.number().int(),
  dismissed: z.number().int(),
});
const StatsResponse = z.object({
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  suggestions: z.object({
    total: z.number().int(),
    new: z.number().int(),
    accepted: z.number().int(),
    dismissed: z.number().int(),
    /** accepted / (accepted + dismissed); null until the user has acted on one */
    acceptanceRate: z.number().nullable(),
    perDay: z.array(DayStats),
  }),
  events: z.object({
    total: z.number().int(),
    bySource: z.record(z.string(), z.number().int()),
    byType: z.array(z.object({ source: z.string(), eventType: z.string(), count: z.number().int() })),
  }),
});
export type Stats = z.infer<typeof StatsResponse>;

/** The calendar date of an instant in a time zone, as YYYY-MM-DD. */
function dateIn(tz: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    at,
  );
}

/** The `days` dates ending today (in tz), oldest first. */
function lastDays(tz: string, days: number, now: Date): string[] {
  const today = dateIn(tz, now);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  return Array.from({ length: days }, (_, i) =>
    new Date(Date.UTC(y, m - 1, d - (days - 1 - i))).toISOString().slice(0, 10),
  );
}

export async function loadStats(
  db: Queryable,
  userId: string,
  opts: { days: number; tz: string; now?: Date },
): Promise<Stats> {
  const dates = lastDays(opts.tz, opts.days, opts.now ?? new Date());
  const from = dates[0]!;
  const to = dates[dates.length - 1]!;
  // The window starts at local midnight of `from`: compare local dates, not UTC instants.
  const local = `to_char(created_at at time zone $2, 'YYYY-MM-DD')`;
  const { rows: dayRows } = await db.query<{ day: string; status: string; n: number }>(
    `select ${local} as day, status, count(*)::int as n from suggestions
     where user_id = $1 and created_at > now() - make_interval(days => $4::int + 2) and ${local} between $3 and $5
     group by 1, 2`,
    [userId, opts.tz, from, opts.days, to],
  );
  const perDay = new Map(dates.map((date) => [date, { date, total: 0, accepted: 0, dismissed: 0 }]));
  const totals = { new: 0, accepted: 0, dismissed: 0 };
  for (const r of dayRows) {
    const day = perDay.get(r.day);
    if (!day) continue;
    day.total += r.n;
    if (r.status === 'accepted') day.accepted += r.n;
    if (r.status === 'dismissed') day.dismissed += r.n;
    if (r.status === 'new' || r.status === 'accepted' || r.status === 'dismissed') totals[r.status] += r.n;
  }
  const eventLocal = `to_char(received_at at time zone $2, 'YYYY-MM-DD')`;
  const { rows: eventRows } = await db.query<{ source: string; event_type: string; n: number }>(
    `select source, event_type, count(*)::int as n from background_events
     where user_id = $1 and received_at > now() - make_interval(days => $4::int + 2) and ${eventLocal} between $3 and $5
     group by 1, 2 order by 3 desc, 1, 2`,
    [userId, opts.tz, from, opts.days, to],
  );
  const bySource: Record<string, number> = {};
  for (const r of eventRows) bySource[r.source] = (bySource[r.source] ?? 0) + r.n;
  const acted = totals.accepted + totals.dismissed;
  return {
    from,
    to,
    timeZone: opts.tz,
    suggestions: {
      total: totals.new + totals.accepted + totals.dismissed,
      ...totals,
      acceptanceRate: acted === 0 ? null : Math.round((totals.accepted / acted) * 1000) / 1000,
      perDay: [...perDay.values()],
    },
    events: {
      total: eventRows.reduce((n, r) => n + r.n, 0),
      bySource,
      byType: eventRows.map((r) => ({ source: r.source, eventType: r.event_type, count: r.n })),
    },
  };
}

export function statsRoutes(app: App, ctx: AppContext): void {
  app.addHook('onRequest', requireUser(ctx));

  app.get(
    '/api/stats',
    {
      schema: {
        tags: ['stats'],
        security: [{ apiKey: [] }],
        summary: 'Suggestions per day, acceptance rate and event counts over the last N days (default 30)',
        querystring: StatsQuery,
        response: { 200: StatsResponse },
      },
    },
    async (req) => loadStats(ctx.db, req.userId, { days: req.query.days, tz: req.query.tz }),
  );
}
