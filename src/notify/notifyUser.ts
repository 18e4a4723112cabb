import removeMarkdown from 'remove-markdown';
import type { Queryable } from '../db/database.js';
import type { JsonObject, StreamBus, StreamMessage } from './bus.js';
import type { ChannelKind } from './channels/registry.js';
import { type EnqueueResult, enqueueNotifications } from './deliveries.js';

/**
 * The pipeline's two calls, seed step 6 ("Notify User"):
 *
 *   await db.transaction(async (tx) => {
 *     ...insert suggestion, agent run, update event...
 *     await enqueueSuggestionNotifications(tx, { userId, suggestionId });   // durable, commits with it
 *   });
 *   await notifyUser(bus, { userId, suggestion });                         // live, after commit
 */

export interface SuggestionSummary {
  id: string;
  eventId: string;
  eventType: string;
  title: string;
  body: string;
  status?: 'new' | 'accepted' | 'dismissed';
  createdAt: Date | string;
}

/** Inside the transaction that stores the suggestion. */
export function enqueueSuggestionNotifications(
  tx: Queryable,
  input: { userId: string; suggestionId: string; channels?: readonly ChannelKind[]; now?: Date },
): Promise<EnqueueResult> {
  return enqueueNotifications(tx, input);
}

const PREVIEW_MAX = 280;

/**
 * A few plain sentences for a pop-up or a push notification: the Markdown's text without its marks
 * (headings, emphasis, code, list leaders). Tables are left out: a row of cells reads as noise
 * in one line, and the full suggestion is one click away.
 */
export function preview(body: string): string {
  const text = removeMarkdown(body, { stripListLeaders: true, gfm: true, useImgAltText: true });
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^\|.*\|$/.test(line));
  const flat = lines.join(' · ').replace(/\s+/g, ' ').trim();
  const chars = [...flat]; // by code point: never split an emoji
  return chars.length <= PREVIEW_MAX ? flat : `${chars.slice(0, PREVIEW_MAX - 1).join('')}…`;
}

export interface NotifyLogger {
  warn(obj: object, msg?: string): void;
}

/**
 * After commit: tells the user's open dashboards, in every process, with a 'suggestion' message
 * (the list updates) and a 'notification' message (a toast). Live even during quiet hours.
 * Never throws: the suggestion is stored and the outbound deliveries are queued already; a live
 * message that could not be published is seen on the next page load.
 */
export async function notifyUser(
  bus: StreamBus,
  input: { userId: string; suggestion: SuggestionSummary; logger?: NotifyLogger },
): Promise<StreamMessage[]> {
  return notifyUsers(bus, [input], input.logger);
}

/** notifyUser for a whole batch of suggestions: one write and one round of NOTIFYs in all. */
export async function notifyUsers(
  bus: StreamBus,
  items: ReadonlyArray<{ userId: string; suggestion: SuggestionSummary }>,
  logger?: NotifyLogger,
): Promise<StreamMessage[]> {
  const messages = items.flatMap(({ userId, suggestion: s }) => {
    const createdAt = typeof s.createdAt === 'string' ? s.createdAt : s.createdAt.toISOString();
    // Small on purpose: the NOTIFY payload limit is 8000 bytes; the client fetches the full item by id.
    const summary: JsonObject = {
      eventId: s.eventId,
      eventType: s.eventType,
      title: s.title,
      status: s.status ?? 'new',
      createdAt,
    };
    return [
      { userId, input: { type: 'suggestion' as const, id: s.id, data: summary } },
      {
        userId,
        input: {
          type: 'notification' as const,
          id: s.id,
          data: { title: s.title, eventType: s.eventType, text: preview(s.body), suggestionId: s.id },
        },
      },
    ];
  });
  try {
    return await bus.publishMany(messages);
  } catch (err) {
    logger?.warn({ err, count: items.length }, 'live notification failed');
    return [];
  }
}
