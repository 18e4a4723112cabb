import { SOURCES } from '../sources/index.js';
import type { EventSpec } from './eventSpec.js';

/**
 * The event-type registry: every type of every source, with its spec (eventSpec.ts). Types are the
 * keys of the sources' specs, so `EventType` is exactly the set of types that have one.
 */

type Sources = typeof SOURCES;

export type SourceKind = Sources[number]['kind'];
export type EventType = Sources[number]['eventTypes'][number];

export const SOURCE_KINDS = SOURCES.map((s) => s.kind) as unknown as readonly [SourceKind, ...SourceKind[]];

export const EVENT_SPECS: Readonly<Record<EventType, EventSpec>> = Object.assign(
  {},
  ...SOURCES.map((s) => s.eventSpecs),
) as Record<EventType, EventSpec>;

export const EVENT_TYPES = Object.keys(EVENT_SPECS) as unknown as readonly [EventType, ...EventType[]];

const SOURCE_OF = new Map<string, SourceKind>(
  SOURCES.flatMap((s) => Object.keys(s.eventSpecs).map((type) => [type, s.kind] as const)),
);

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(EVENT_SPECS, value);
}

export function eventSpec(type: EventType): EventSpec {
  return EVENT_SPECS[type]!;
}

/** The source that emits a type. */
export function sourceOfType(type: EventType): SourceKind {
  return SOURCE_OF.get(type)!;
}

/** Every payload field any spec's decisions read: all that flow control loads for group members. */
export const DECISION_FIELDS: readonly string[] = [
  ...new Set(Object.values(EVENT_SPECS).flatMap((s) => s.decisionFields ?? [])),
].sort();
