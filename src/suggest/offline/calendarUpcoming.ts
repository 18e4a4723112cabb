/**
 * calendar.event.upcoming: a launch countdown when the pipeline linked the event to a product or
 * collection, otherwise meeting prep built from what happened in the store and database lately.
 * Dates are counted from the event's own start, never from the clock, so drafts are reproducible.
 */
import { EMOJI_SETS, emojiFor } from '../emoji.js';
import { at, list, str, truncate } from '../payload.js';
import { readCollection, readProduct } from '../shopifyFacts.js';
import { byLength } from '../vibe.js';
import { bullets, joinSections, section } from './markdown.js';
import type { Template } from './templateEnv.js';

const HOUR_MS = 3_600_000;

function whenText(ms: number, withTime: boolean): string {
  const iso = new Date(ms).toISOString();
  return withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso.slice(0, 10);
}

const QUESTION_BY_TYPE: Record<string, (title: string) => string> = {
  'shopify.inventory.low': (t) => `Restock decision for ${t}: order now or let it sell out?`,
  'supabase.migration.pending': (t) => `Who applies ${t}, and when?`,
  'supabase.table.created': (t) => `Review the documentation of ${t}.`,
  'shopify.product.created': (t) => `Launch content for ${t}: which hook goes first?`,
  'shopify.order.created': (t) => `Anything to learn from ${t}?`,
};

export const calendarUpcoming: Template = (env) => {
  const { v, input } = env;
  const ev = input.eventData;
  const summary = str(at(ev, 'summary')) ?? str(at(ev, 'title')) ?? 'Upcoming event';
  const startRaw =
    str(at(ev, 'start')) ?? str(at(ev, 'startsAt')) ?? str(at(ev, 'dtstart')) ?? str(at(ev, 'start', 'dateTime'));
  const startMs = startRaw ? Date.parse(startRaw) : Number.NaN;
  const hasStart = !Number.isNaN(startMs);
  const location = str(at(ev, 'location'));
  const description = str(at(ev, 'description'));
  const ctx = input.context;
  const linked =
    ctx?.product !== undefined
      ? readProduct(ctx.product)
      : ctx?.collection !== undefined
        ? readCollection(ctx.collection)
        : undefined;
  const at_ = (offsetMs: number, withTime: boolean): string =>
    hasStart ? ` (${whenText(startMs + offsetMs, withTime)})` : '';

  if (linked) {
    const name = linked.title;
    const steps = [
      `T-3 days${at_(-72 * HOUR_MS, false)}: teaser post for ${name}: "3 days to go".`,
      `T-1 day${at_(-24 * HOUR_MS, false)}: email and SMS subscribers a reminder with early access to ${name}.`,
      `T-2 hours${at_(-2 * HOUR_MS, true)}: go-live check: ${name} published, stock set, discount codes tested, links working.`,
      `Launch${at_(0, true)}: launch post and stories for ${name}; pin the post.`,
      `T+1 day${at_(24 * HOUR_MS, false)}: thank early buyers and share the first reactions to ${name}.`,
    ].map((s, i) => `${emojiFor(v, EMOJI_SETS.plan, i)}${s}`);
    const chosen = byLength(
      v,
      [steps[1], steps[2], steps[3]].filter((s) => s !== undefined),
      steps,
      steps,
    );
    return {
      title: `Launch countdown for ${name}: ${summary}${hasStart ? ` on ${whenText(startMs, true)}` : ''}`,
      body: joinSections([
        `${summary}${hasStart ? ` starts ${whenText(startMs, true)}` : ''}${location ? ` (${location})` : ''}.`,
        section('Countdown', bullets(chosen)),
      ]),
      content: {
        event: { summary, start: hasStart ? new Date(startMs).toISOString() : null },
        subject: name,
        steps: chosen,
      },
    };
  }

  const related = list(ctx?.relatedEvents);
  const counts = new Map<string, string[]>();
  for (const r of related) {
    const type = str(at(r, 'eventType')) ?? 'event';
    const names = counts.get(type) ?? [];
    const title = str(at(r, 'title'));
    if (title && !names.includes(title)) names.push(title);
    counts.set(type, names);
  }
  const recap = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, names]) => {
      const n = related.filter((r) => (str(at(r, 'eventType')) ?? 'event') === type).length;
      return `${n} × ${type}${names.length > 0 ? `: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}` : ''}`;
    });
  const questions = related
    .map((r) => {
      const q = QUESTION_BY_TYPE[str(at(r, 'eventType')) ?? ''];
      const title = str(at(r, 'title'));
      return q && title ? q(title) : undefined;
    })
    .filter((q, i, all): q is string => q !== undefined && all.indexOf(q) === i)
    .slice(0, byLength(v, 2, 4, 6));
  const agenda = description
    ? description
        .split(/\r?\n/)
        .map((l) => l.replace(/^[-*•\s]+/, '').trim())
        .filter(Boolean)
        .slice(0, 5)
        .map((l) => truncate(l, 120))
    : [];

  return {
    title: `Prep for "${summary}"${hasStart ? ` on ${whenText(startMs, true)}` : ''}`,
    body: joinSections([
      `${summary}${hasStart ? ` starts ${whenText(startMs, true)}` : ''}${location ? ` (${location})` : ''}.`,
      agenda.length > 0 && section('Agenda', bullets(agenda)),
      section(
        'Since last time',
        recap.length > 0 ? bullets(recap) : 'No store or database events were linked to this meeting.',
      ),
      questions.length > 0 && section('Questions to bring', bullets(questions)),
    ]),
    content: {
      event: { summary, start: hasStart ? new Date(startMs).toISOString() : null, location: location ?? null },
      agenda,
      recap,
      questions,
    },
  };
};
