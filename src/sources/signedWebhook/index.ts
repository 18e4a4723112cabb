/**
 * The signed-webhook source: any system that can POST JSON with a Standard Webhooks signature
 * (a payment provider, a form tool, your own service). Connecting one generates its signing secret
 * (`whsec_...`, shown once); deliveries go to POST /webhooks/signed/<integration id>.
 */

import { z } from 'zod';
import { defineConnection, defineSource } from '../source.js';
import { subjectText } from '../subject.js';
import { SIGNED_EVENT_TYPES, signedEventSpecs } from './eventTypes.js';
import { signedWebhookPath, signedWebhookRoutes } from './webhookRoutes.js';

/** The object a delivery is about: its `data.id` (else `data.object.id`, else the body's `id`). */
function objectIdOf(payload: Record<string, unknown>): string | null {
  const data = payload.data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const d = data as Record<string, unknown>;
    const nested = typeof d.object === 'object' && d.object !== null ? (d.object as Record<string, unknown>) : {};
    return subjectText(d.id) ?? subjectText(nested.id);
  }
  return subjectText(payload.id);
}

export const signedWebhook = defineSource({
  kind: 'signed',
  label: 'Signed webhook',
  eventTypes: SIGNED_EVENT_TYPES,
  eventSpecs: signedEventSpecs,
  // The sender's type and object: "invoice.paid" of invoice 42 coalesces with its own retries and
  // later deliveries, never with another invoice's. No object id: no subject (each stands alone).
  subjectOf: (_type, payload) => {
    const objectId = objectIdOf(payload);
    return objectId === null ? null : `${subjectText(payload.type) ?? ''}:${objectId}`;
  },
  connection: defineConnection(
    {
      /** What sends to it, for the user's own list ("Stripe", "the billing service"). */
      name: z.string().trim().min(1).max(100).optional(),
    },
    {
      secretFields: [],
      generatesWebhookSecret: true,
      settings: (body) => ({ config: { name: body.name ?? null } }),
    },
  ),
  view: (row) => ({ webhookPath: signedWebhookPath(row.id) }),
  webhookRoutes: signedWebhookRoutes,
});
