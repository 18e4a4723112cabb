/**
 * Prompt assembly: profile + vibe + compact event facts -> {system, user}. Deterministic to the
 * byte (sorted keys, no clock, no randomness), so a prompt can be cached, diffed and tested, and
 * the agent_runs log shows exactly what a model was asked.
 */
import type { EventType } from '../events.js';
import { promptFacts } from './promptFacts.js';
import { stableJson } from './stableJson.js';
import type { SuggestionInput } from './types.js';

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  es: 'Spanish',
  fr: 'French',
  de: 'German',
  pt: 'Portuguese',
  it: 'Italian',
  nl: 'Dutch',
};

/** What the suggestion should contain, per event type, and the content keys it should fill. */
const TASKS: Record<EventType, string> = {
  'shopify.product.created':
    'Write three TikTok hooks, a caption with hashtags taken from the product tags and type, and marketing copy that uses the price and any discount (compare-at price vs price). content: {hooks: string[3], caption: string, hashtags: string[], copy: string}.',
  'shopify.product.updated':
    'Say what changed (compare context.previous with the event when given, otherwise name the notable fields) and write copy to match. content: {changes: [{field, before, after}], copy: string}.',
  'shopify.product.deleted':
    'Write a short cleanup checklist (redirects, ads, email flows, collections). content: {steps: string[]}.',
  'shopify.collection.created':
    'Write a dated launch plan for the collection and an announcement post. content: {steps: [{when, action}], announcement: string}.',
  'shopify.collection.updated':
    'Write a refresh plan for the updated collection and an announcement post. content: {steps: [{when, action}], announcement: string}.',
  'shopify.inventory.low':
    'Explain the days of cover and the reorder quantity using the computed plan in the facts (state the formula), then suggest what to do meanwhile. content: {daysOfCover, reorderQuantity, formula: string, steps: string[]}.',
  'shopify.inventory.updated': 'Write a short note on the inventory change. content: {}.',
  'shopify.order.created':
    'Write a follow-up message to the customer (first name only, no other personal data; a win-back message if the order was cancelled) and a cross-sell based on the line items. content: {message: string, crossSell: [{title, reason}]}.',
  'shopify.app.uninstalled': 'Write a short note on what the uninstall means. content: {}.',
  'shopify.customers.data_request':
    'Write a short checklist for answering the data request. content: {steps: string[]}.',
  'shopify.customers.redact': 'Write a short checklist for the redaction request. content: {steps: string[]}.',
  'shopify.shop.redact': 'Write a short note on erasing the shop data. content: {}.',
  'supabase.schema.changed':
    'Write a changelog entry (Added / Changed / Removed) for the schema change and follow-ups. content: {changelog: string, steps: string[]}.',
  'supabase.table.created':
    'Document the table in Markdown (columns, types, nullability, defaults, keys) and write COMMENT ON TABLE/COLUMN statements with properly quoted identifiers. content: {sql: string, columns: object[]}.',
  'supabase.table.dropped':
    'Write a changelog entry for the dropped table and follow-ups. content: {changelog: string, steps: string[]}.',
  'supabase.column.added':
    'Document the new column and its table in Markdown and write COMMENT ON COLUMN statements with properly quoted identifiers. content: {sql: string}.',
  'supabase.column.dropped':
    'Write a changelog entry for the dropped column and follow-ups. content: {changelog: string, steps: string[]}.',
  'supabase.column.renamed':
    'Document the renamed column, list what must be updated, and write COMMENT ON COLUMN statements. content: {sql: string, steps: string[]}.',
  'supabase.column.retyped':
    'Document the type change, its risks, and write COMMENT ON COLUMN statements. content: {sql: string, steps: string[]}.',
  'supabase.constraint.changed': 'Write a changelog entry for the constraint change. content: {changelog: string}.',
  'supabase.migration.pending':
    'List the pending migration files and give the Supabase CLI command to apply them (supabase db push for the linked project, supabase migration up for local). content: {files: string[], command: string}.',
  'supabase.row.inserted': 'Write one short note; row events rarely need action. content: {}.',
  'supabase.row.updated': 'Write one short note; row events rarely need action. content: {}.',
  'supabase.row.deleted': 'Write one short note; row events rarely need action. content: {}.',
  'calendar.event.upcoming':
    'If the context links a product or collection, write a launch countdown plan dated from the event start; otherwise write meeting prep notes from the related events. content: {steps: string[]}.',
};

const EMOJI_RULE = {
  none: 'Use no emoji at all, anywhere.',
  some: 'Use at most two emoji in total.',
  lots: 'Use emoji generously.',
} as const;

const LENGTH_RULE = {
  short: 'Keep it short: under 100 words of body.',
  medium: 'Medium length: about 150 to 250 words of body.',
  long: 'Be thorough: up to about 500 words of body.',
} as const;

export interface AssembledPrompt {
  system: string;
  user: string;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function assemblePrompt(input: SuggestionInput): AssembledPrompt {
  const { profile, vibe } = input;
  const lang = (profile.language ?? 'en').trim() || 'en';
  const base = lang.toLowerCase().split(/[-_]/)[0] ?? 'en';
  const avoid = [...new Set((vibe.avoidWords ?? []).map((w) => oneLine(w)).filter(Boolean))].sort();
  const who = [
    profile.brand ? `the brand "${oneLine(profile.brand)}"` : 'a merchant and builder',
    profile.niche ? `in the ${oneLine(profile.niche)} niche` : undefined,
  ]
    .filter(Boolean)
    .join(' ');

  const system = [
    `You are Lookout, a proactive assistant writing for ${who}. You turn one store or database event into one useful suggestion.`,
    profile.audience ? `Audience: ${oneLine(profile.audience)}.` : undefined,
    `Write in ${LANGUAGE_NAMES[base] ?? lang} (${lang}).`,
    `Tone: ${oneLine(vibe.tone ?? 'friendly')}.`,
    EMOJI_RULE[vibe.emoji ?? 'some'],
    LENGTH_RULE[vibe.length ?? 'medium'],
    avoid.length > 0 ? `Never use these words: ${avoid.map((w) => JSON.stringify(w)).join(', ')}.` : undefined,
    'Never include customer personal data other than a first name. Use only the facts given; do not invent prices, stock or dates.',
    'Answer with a single JSON object and nothing else: {"title": string naming the product, table or file it is about, "body": Markdown string, "content": object with the structured parts named in the task}.',
  ]
    .filter(Boolean)
    .join('\n');

  const facts = promptFacts(input);
  const user = [
    `Event: ${input.eventType} (id ${input.eventId})`,
    input.batch
      ? `Batch: ${input.batch.count} events of this type; write one summary suggestion for all of them (top items, a plan).`
      : undefined,
    `Task: ${TASKS[input.eventType] ?? 'Write one short, useful suggestion. content: {}.'}`,
    `Facts: ${stableJson(facts.event)}`,
    facts.context ? `Context: ${stableJson(facts.context)}` : undefined,
    facts.batch ? `Batch items: ${stableJson(facts.batch)}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');

  return { system, user };
}

/** The prompt as one text for agent_runs.prompt. */
export function promptText(p: AssembledPrompt): string {
  return `SYSTEM:\n${p.system}\n\nUSER:\n${p.user}`;
}
