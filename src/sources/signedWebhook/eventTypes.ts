import { type EventSpec, suggestionModule } from '../../events/eventSpec.js';
import { signedEvent } from '../../suggest/eventTypes/signedEvent.js';

/** The event type the signed-webhook source emits: one per delivery; the sender's `type` stays in the payload. */
export const SIGNED_EVENT_TYPES = ['signed.event.received'] as const;
export type SignedEventType = (typeof SIGNED_EVENT_TYPES)[number];

export const signedEventSpecs: Readonly<Record<SignedEventType, EventSpec>> = {
  'signed.event.received': {
    label: 'Webhook received',
    handling: 'suggest',
    importance: 50,
    // Deliveries about one object (the same sender type and object id) make one note from the
    // latest once they are quiet; deliveries without an object id are each their own.
    coalesce: 'debounce',
    suggestion: suggestionModule(signedEvent),
  },
};
