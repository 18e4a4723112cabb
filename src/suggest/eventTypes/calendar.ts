/**
 * calendar.event.upcoming: a dated launch checklist tied to the product or collection the event is
 * linked to (its price, stock and status as last stored), or meeting prep: what happened since the
 * last occurrence of the meeting (orders and revenue, stock risks, new products, schema changes),
 * said in words, and the questions that follow from it. Dates come from the event, never the clock.
 */
import { EMOJI_SETS, emojiFor } from '../emoji.js';
import type { LaunchPhraseArgs, LaunchStep } from '../i18n/texts.js';
import { at, bool, str, truncate } from '../payload.js';
import type { PeriodSummary } from '../types.js';
import { byLength } from '../vibe.js';
import { bullets, joinSections, section } from './markdown.js';
import { defineEventType } from './module.js';
import { productBrief } from './productFacts.js';

interface EventFacts {
  summary: string;
  start: string | null;
  /** The start on the event's own wall clock ("2026-04-21T12:00"): the time the text states. */
  startLocal: string | null;
  location: string | null;
  timezone: string;
  allDay: boolean;
}

export type CalendarFacts =
  | {
      mode: 'launch';
      event: EventFacts;
      linked: {
        kind: 'product' | 'collection';
        title: string;
        price: number | null;
        compareAtPrice: number | null;
        discountPercent: number | null;
        inventory: number | null;
        status: string | null;
      };
      /** `local`: the step's time on the event's wall clock, as the text states it. */
      checklist: Array<{ step: LaunchStep; at: string; local: string }>;
      currency: string | null;
    }
  | {
      mode: 'meeting';
      event: EventFacts;
      agenda: string[];
      period: PeriodSummary | null;
      questions: Array<{ kind: 'restock' | 'cancelled' | 'schema' | 'migration' | 'launch'; subject: string }>;
    };

const HOUR_MS = 3_600_000;
const OFFSETS: Array<[LaunchStep, number]> = [
  ['teaser', -72 * HOUR_MS],
  ['reminder', -24 * HOUR_MS],
  ['goLive', -2 * HOUR_MS],
  ['launch', 0],
  ['followUp', 24 * HOUR_MS],
];

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** "2026-04-21T12:00" in `zone`: dates and times in the text are the event's local ones. */
export function wallClock(iso: string, zone: string): string {
  let f = wallClocks.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone: 'UTC',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    }
    wallClocks.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

function eventFacts(d: unknown): EventFacts {
  const start =
    str(at(d, 'start')) ?? str(at(d, 'startsAt')) ?? str(at(d, 'dtstart')) ?? str(at(d, 'start', 'dateTime'));
  const t = start ? Date.parse(start) : Number.NaN;
  const zone = str(at(d, 'timezone')) ?? 'UTC';
  return {
    summary: str(at(d, 'summary')) ?? str(at(d, 'title')) ?? '—',
    start: Number.isNaN(t) ? null : new Date(t).toISOString(),
    startLocal: Number.isNaN(t) ? null : wallClock(new Date(t).toISOString(), zone),
    location: str(at(d, 'location')) ?? null,
    timezone: str(at(d, 'timezone')) ?? 'UTC',
    allDay: bool(at(d, 'allDay')) === true,
  };
}

export const calendar = defineEventType<CalendarFacts>({
  needs: ['linkedItem', 'period'],
  customerFacing: false,
  facts(input) {
    const d = input.eventData;
    const event = eventFacts(d);
    const ctx = input.context;
    const linkedValue = ctx?.product ?? ctx?.collection;
    if (linkedValue !== undefined) {
      const p = productBrief(linkedValue);
      const start = event.start ? Date.parse(event.start) : Number.NaN;
      const from = Date.parse(input.occurredAt ?? '');
      return {
        mode: 'launch',
        event,
        linked: {
          kind: ctx?.product !== undefined ? 'product' : 'collection',
          title: p.title,
          price: p.price,
          compareAtPrice: p.compareAtPrice,
          discountPercent: p.discountPercent,
          inventory: p.totalInventory,
          status: p.status,
        },
        // Steps already past when the reminder fires are left out: no "teaser 3 days before" a day before.
        checklist: Number.isNaN(start)
          ? OFFSETS.map(([step]) => ({ step, at: '', local: '' }))
          : OFFSETS.filter(([, offset]) => Number.isNaN(from) || start + offset >= from).map(([step, offset]) => ({
              step,
              at: new Date(start + offset).toISOString(),
              local: wallClock(new Date(start + offset).toISOString(), event.timezone),
            })),
        currency: ctx?.currency ?? null,
      };
    }
    const description = str(at(d, 'description'));
    const period = ctx?.period ?? null;
    const questions: Array<{ kind: 'restock' | 'cancelled' | 'schema' | 'migration' | 'launch'; subject: string }> = [];
    if (period) {
      for (const s of period.lowStock) questions.push({ kind: 'restock', subject: s.name });
      if (period.orders.cancelled > 0) questions.push({ kind: 'cancelled', subject: String(period.orders.cancelled) });
      for (const table of new Set(period.schemaChanges.map((c) => c.table).filter((t): t is string => t !== null)))
        questions.push({ kind: 'schema', subject: table });
      for (const m of period.migrationsPending) questions.push({ kind: 'migration', subject: m });
      for (const p of period.productsCreated.slice(0, 3)) questions.push({ kind: 'launch', subject: p });
    }
    return {
      mode: 'meeting',
      event,
      agenda: description
        ? description
            .split(/\r?\n/)
            .map((l) => l.replace(/^[-*•\s]+/, '').trim())
            .filter(Boolean)
            .slice(0, 5)
            .map((l) => truncate(l, 120))
        : [],
      period,
      questions,
    };
  },
  task:
    'mode launch: a dated checklist for the linked product, one line per checklist step on its date, using its ' +
    'price and stock. mode meeting: prep notes: the agenda, a recap of the period in words (orders and revenue, ' +
    'low stock, new products, schema changes; never raw event type names), and the questions given. content: ' +
    '{steps: string[]} for a launch; {agenda: string[], recap: string[], questions: string[]} for a meeting.',
  render(env, facts) {
    const { t, v, f } = env;
    const ev = facts.event;
    const when = ev.start ? (ev.allDay ? f.day(ev.start, ev.timezone) : f.dayTime(ev.start, ev.timezone)) : '';
    if (facts.mode === 'launch') {
      const text = t.calendar.launch;
      const l = facts.linked;
      const currency = facts.currency ?? undefined;
      const a: LaunchPhraseArgs = {
        name: l.title,
        summary: ev.summary,
        price: l.price !== null ? f.money(l.price, currency) : undefined,
        compareAt: l.compareAtPrice !== null ? f.money(l.compareAtPrice, currency) : undefined,
        off: l.discountPercent !== null ? f.percent(l.discountPercent) : undefined,
        inventory: l.inventory !== null ? f.integer(l.inventory) : undefined,
        notActive: l.status !== null && l.status !== 'active',
        status: l.status ?? undefined,
      };
      const stepDate = (s: (typeof facts.checklist)[number]) => {
        if (!s.at) return '—';
        return s.step === 'goLive' || s.step === 'launch' ? f.dayTime(s.at, ev.timezone) : f.day(s.at, ev.timezone);
      };
      const steps = facts.checklist.map(
        (s, i) => `${emojiFor(v, EMOJI_SETS.plan, i)}**${stepDate(s)}**: ${text.steps[s.step](a)}`,
      );
      const chosen =
        v.length === 'short'
          ? steps.filter((_, i) => facts.checklist[i]?.step !== 'followUp' && facts.checklist[i]?.step !== 'teaser')
          : steps;
      return {
        title: text.title(
          ev.summary.toLowerCase().includes(l.title.toLowerCase()) ? undefined : l.title,
          ev.summary,
          when,
        ),
        body: joinSections([
          ev.location ? text.intro(ev.summary, when, ev.location) : undefined,
          text.product(a),
          section(text.heading, bullets(chosen)),
        ]),
        content: {
          event: { summary: ev.summary, start: ev.start },
          subject: l.title,
          steps: chosen,
        },
      };
    }
    const text = t.calendar.meeting;
    const p = facts.period;
    const recap: string[] = [];
    if (p) {
      const revenue = p.orders.revenue.map((r) => f.money(r.amount, r.currency));
      recap.push(
        p.orders.count > 0
          ? text.orders(
              f.integer(p.orders.count),
              f.integer(p.orders.units),
              revenue.length > 0 ? f.list(revenue) : undefined,
            )
          : text.noOrders,
      );
      if (p.orders.topProducts.length > 0)
        recap.push(
          text.bestSellers(f.list(p.orders.topProducts.slice(0, 3).map((x) => `${x.title} (${f.integer(x.units)})`))),
        );
      if (p.orders.cancelled > 0) recap.push(text.cancelled(f.integer(p.orders.cancelled)));
      if (p.lowStock.length > 0)
        recap.push(
          text.lowStock(
            f.list(
              p.lowStock.map((s) => text.stockItem(s.name, s.available !== null ? f.integer(s.available) : undefined)),
            ),
          ),
        );
      if (p.productsCreated.length > 0) recap.push(text.productsCreated(f.list(p.productsCreated.slice(0, 6))));
      if (p.collectionsCreated.length > 0)
        recap.push(text.collectionsCreated(f.list(p.collectionsCreated.slice(0, 6))));
      if (p.schemaChanges.length > 0)
        recap.push(
          text.schemaChanges(
            f.list(
              p.schemaChanges
                .slice(0, 6)
                .map((c) => text.schemaChange(c.kind, c.table ?? undefined, c.column ?? undefined)),
            ),
          ),
        );
      if (p.migrationsPending.length > 0) recap.push(text.migrations(f.list(p.migrationsPending.slice(0, 4))));
    }
    const quiet = !p || (p.orders.count === 0 && recap.length <= 1);
    const questions = facts.questions
      .map((q) =>
        q.kind === 'cancelled'
          ? text.questions.cancelled(f.integer(Number(q.subject)))
          : text.questions[q.kind](q.subject),
      )
      .slice(0, byLength(v, 2, 4, 6));
    const periodLine = p
      ? p.basis === 'sinceLastMeeting'
        ? text.sinceLastMeeting(f.longDate(p.from))
        : text.lastDays(f.integer(p.days))
      : undefined;
    return {
      title: text.title(ev.summary, when),
      body: joinSections([
        text.intro(ev.summary, when, ev.location ?? undefined),
        facts.agenda.length > 0 && section(text.headings.agenda, bullets(facts.agenda)),
        section(
          text.headings.recap,
          quiet
            ? `${periodLine ? `${periodLine} ` : ''}${text.quiet}`
            : `${periodLine ?? ''}\n\n${bullets(recap)}`.trim(),
        ),
        questions.length > 0 && section(text.headings.questions, bullets(questions)),
      ]),
      content: {
        event: { summary: ev.summary, start: ev.start, location: ev.location },
        agenda: facts.agenda,
        recap,
        questions,
      },
    };
  },
});
