/**
 * The module that writes a suggestion: each event type's spec names its own
 * (sources/<name>/eventTypes.ts); the batch summary writes for events that were batched.
 */
import { eventSpec } from '../../events/registry.js';
import type { EventType } from '../../events.js';
import { batch } from './batch.js';
import type { EventTypeModule } from './module.js';

export { batchItem } from './batch.js';
export type { ContextNeed, EventTypeModule, TemplateEnv } from './module.js';

const batchModule = batch as unknown as EventTypeModule<unknown>;

/** The module that writes a suggestion for this input: the batch summary when events were batched. */
export function moduleFor(input: { eventType: EventType; batch?: { items: unknown[] } }): EventTypeModule<unknown> {
  return input.batch && input.batch.items.length > 0 ? batchModule : eventSpec(input.eventType).suggestion;
}
