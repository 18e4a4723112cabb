import { z } from 'zod';
import type { AppContext } from '../context.js';
import { EVENT_SPECS, type EventType, sourceOfType } from '../events/registry.js';
import { SOURCES } from '../sources/index.js';
import type { App } from './server.js';

const EventTypesBody = z.object({
  sources: z.array(z.object({ kind: z.string(), label: z.string() })),
  eventTypes: z.array(
    z.object({
      type: z.string(),
      source: z.string(),
      label: z.string(),
      handling: z.enum(['suggest', 'system', 'keep']),
      coalesce: z.enum(['none', 'debounce', 'batch']),
    }),
  ),
});

/** Built once: the registry is fixed for the life of the process. */
function describeRegistry(): z.infer<typeof EventTypesBody> {
  return {
    sources: SOURCES.map((s) => ({ kind: s.kind, label: s.label })),
    eventTypes: (Object.keys(EVENT_SPECS) as EventType[]).map((type) => {
      const spec = EVENT_SPECS[type];
      return { type, source: sourceOfType(type), label: spec.label, handling: spec.handling, coalesce: spec.coalesce };
    }),
  };
}

/**
 * The event-type registry as the dashboard (and any client) reads it: labels come from the same
 * spec that decides and generates, so a new type is labelled where it is declared. Public: it
 * describes the software, not anyone's data.
 */
export function eventTypeRoutes(app: App, _ctx: AppContext): void {
  const body = describeRegistry();
  app.get(
    '/api/meta/event-types',
    {
      schema: {
        tags: ['meta'],
        summary: 'Every source and event type Lookout knows, with its label and how it is handled',
        response: { 200: EventTypesBody },
      },
    },
    async (_req, reply) => reply.header('cache-control', 'public, max-age=300').send(body),
  );
}
