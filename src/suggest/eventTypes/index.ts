/**
 * The module that writes a suggestion: each event type's spec names its own
 * (sources/<name>/eventTypes.ts); the batch summary writes for events that were batched.
 */
import { eventSpec, isEventType } from '../../events/registry.js';
import { batch } from './batch.js';
import type { EventTypeModule } from './module.js';

export { batchItem } from './batch.js';
export type { ContextNeed, EventTypeModule, TemplateEnv } from './module.js';

const batchModule = batch as unknown as EventTypeModule<unknown>;

/** The module that writes a suggestion for this input: the batch summary when events were batched. */
export function moduleFor(input: { eventType: string; batch?: { items: unknown[] } }): EventTypeModule<unknown> {
  if (input.batch && input.batch.items.length > 0) return batchModule;
  if (!isEventType(input.eventType)) throw new Error(`no suggestion module for event type ${input.eventType}`);
  return eventSpec(input.eventType).suggestion;
}
