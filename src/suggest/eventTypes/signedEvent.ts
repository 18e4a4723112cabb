/**
 * signed.event.received: what a signed webhook said happened, in a few lines. The sender's own
 * event type (`type`) names it; the fields of its `data` (else of the whole body) say what it is
 * about, first ones first, so a person can tell at a glance whether it needs them.
 */
import type { SignedEventText } from '../i18n/texts.js';
import { obj, str, truncate } from '../payload.js';
import { byLength } from '../vibe.js';
import { bullets, code, joinSections, section } from './markdown.js';
import { defineEventType } from './module.js';

export interface SignedEventFacts {
  /** The sender's event type (its `type` field), when it sent one. */
  type?: string;
  /** Scalar fields of what happened, as dotted path and value, in the sender's order. */
  fields: Array<{ path: string; value: string }>;
  /** How many scalar fields there were in all (fields holds the first ones). */
  total: number;
}

/** Fields read at most: a body of thousands of fields is summarised by its first ones and its count. */
const MAX_FIELDS = 200;
const MAX_DEPTH = 3;
const MAX_VALUE = 80;
/** Envelope fields of Standard Webhooks payloads: they say how, not what. */
const ENVELOPE = new Set(['type', 'timestamp']);

function scalarText(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  // Numbers may arrive as LosslessNumbers or digit strings: str() keeps their digits.
  return str(v);
}

function collect(value: unknown, path: string, depth: number, out: SignedEventFacts): void {
  if (out.total >= MAX_FIELDS) return;
  if (Array.isArray(value)) {
    out.total++;
    out.fields.push({ path, value: `[${value.length}]` });
    return;
  }
  const o = obj(value);
  if (o && depth < MAX_DEPTH) {
    for (const [k, v] of Object.entries(o)) collect(v, path ? `${path}.${k}` : k, depth + 1, out);
    return;
  }
  const text = o ? '{…}' : scalarText(value);
  if (text === undefined) return;
  out.total++;
  out.fields.push({ path, value: truncate(text.replace(/\s+/g, ' '), MAX_VALUE) });
}

export function signedEventFacts(eventData: unknown): SignedEventFacts {
  const body = obj(eventData) ?? {};
  const facts: SignedEventFacts = { type: str(body.type), fields: [], total: 0 };
  const data = obj(body.data);
  if (data) collect(data, '', 0, facts);
  else for (const [k, v] of Object.entries(body)) if (!ENVELOPE.has(k)) collect(v, k, 1, facts);
  return facts;
}

export const signedEvent = defineEventType<SignedEventFacts>({
  needs: [],
  customerFacing: false,
  facts: (input) => signedEventFacts(input.eventData),
  task:
    'Say in one or two sentences what this webhook reports happened, naming the values that matter, and ' +
    'whether anything needs doing. content: {fields: {path: string, value: string}[]}.',
  render(env, facts) {
    const { t, v, f } = env;
    const text: SignedEventText = t.signedEvent;
    const shown = facts.fields.slice(0, byLength(v, 4, 6, 10));
    const hidden = facts.total - shown.length;
    return {
      title: text.title(facts.type),
      body: joinSections([
        text.summary(facts.type, f.integer(facts.total)),
        shown.length > 0
          ? section(
              text.heading,
              bullets([
                ...shown.map((x) => `${code(x.path)}: ${x.value}`),
                ...(hidden > 0 ? [text.more(f.integer(hidden))] : []),
              ]),
            )
          : text.empty,
      ]),
      content: { type: facts.type ?? null, fields: shown },
    };
  },
});
