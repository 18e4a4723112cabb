import { parse as parseLossless } from 'lossless-json';
import type { Queryable } from '../../db/database.js';
import type { SystemEvent } from '../../events/eventSpec.js';

/**
 * Shopify's mandatory compliance webhooks, acted on inside the transaction that completes the
 * event. Redaction replaces stored payloads with a marker rather than deleting rows, so the
 * processing history (and any suggestion's provenance) stays while the personal data goes; the
 * raw text kept beside a sanitised payload (event_data_raw) goes with it.
 */

const REDACTED = (reason: string) => JSON.stringify({ redacted: true, reason });

/** Every number as its source text, so customer and order ids keep their digits. */
function parseIds(json: string): Record<string, unknown> {
  return parseLossless(json, null, (digits: string) => digits) as Record<string, unknown>;
}

const idText = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Acts on a compliance event; `payloadJson` is its stored payload. */
export async function applyCompliance(tx: Queryable, e: SystemEvent, payloadJson: string): Promise<string> {
  const p = parseIds(payloadJson);
  switch (e.eventType) {
    case 'shopify.customers.redact': {
      const customer = (p.customer ?? {}) as Record<string, unknown>;
      const customerId = idText(customer.id);
      const email = typeof customer.email === 'string' ? customer.email.toLowerCase() : null;
      const orders = Array.isArray(p.orders_to_redact)
        ? p.orders_to_redact.map(idText).filter((x): x is string => x !== null)
        : [];
      const res = await tx.query<{ id: string }>(
        `update background_events set event_data = $5::jsonb, event_data_raw = null
         where user_id = $1 and source = 'shopify' and id <> $6 and (
           ($2::text is not null and (event_data#>>'{customer,id}' = $2 or event_data->>'customer_id' = $2))
           or ($3::text is not null and (lower(event_data->>'email') = $3 or lower(event_data#>>'{customer,email}') = $3
             or lower(event_data->>'contact_email') = $3))
           or (event_data->>'id' = any($4::text[]) and event_type like 'shopify.order.%')
           -- kept only as raw text (the database refused its payload): matched on the text, widely
           or ('rejected_by_database' = any(payload_issues) and (
             ($3::text is not null and strpos(lower(event_data_raw), $3) > 0)
             or ($2::text is not null and strpos(event_data_raw, $2) > 0)))
         ) returning id`,
        [e.userId, customerId, email, orders, REDACTED('customers/redact'), e.id],
      );
      await redactDerived(
        tx,
        res.rows.map((r) => r.id),
      );
      await scrubSelf(tx, e.id, 'customers/redact');
      return `redacted:${res.rowCount}`;
    }
    case 'shopify.shop.redact': {
      const res = await tx.query<{ id: string }>(
        `update background_events set event_data = $3::jsonb, event_data_raw = null
         where integration_id = $2 and user_id = $1 and id <> $4 returning id`,
        [e.userId, e.integrationId, REDACTED('shop/redact'), e.id],
      );
      await redactDerived(
        tx,
        res.rows.map((r) => r.id),
      );
      await scrubSelf(tx, e.id, 'shop/redact');
      return `redacted:${res.rowCount}`;
    }
    case 'shopify.customers.data_request': {
      const customer = (p.customer ?? {}) as Record<string, unknown>;
      const orders = Array.isArray(p.orders_requested)
        ? p.orders_requested.map(idText).filter((x): x is string => x !== null)
        : [];
      await tx.query(
        `insert into data_requests (integration_id, user_id, shop_domain, customer_id, customer_email, orders_requested,
         event_id)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (event_id) do nothing`,
        [
          e.integrationId,
          e.userId,
          typeof p.shop_domain === 'string' ? p.shop_domain : '',
          idText(customer.id),
          typeof customer.email === 'string' ? customer.email : null,
          orders,
          e.id,
        ],
      );
      return 'data_request_recorded';
    }
    case 'shopify.app.uninstalled':
      // The integration was disabled at ingest (polling stops at once); nothing else to do.
      return 'integration_disabled';
    default:
      return 'ignored';
  }
}

/**
 * What Lookout wrote from redacted events holds the same personal data (a follow-up message names
 * the customer; the prompt quotes the order): suggestions made from them, their agent runs, and
 * the live messages that announced them are redacted too. A batched suggestion covering several
 * customers is redacted whole rather than edited.
 */
async function redactDerived(tx: Queryable, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  const { rows } = await tx.query<{ id: string }>(
    `update suggestions set title = 'Redacted at the customer''s request',
       body = 'This suggestion was removed to honour a data redaction request.', content = '{"redacted": true}'::jsonb
     where id in (select suggestion_id from background_events where id = any($1::uuid[]) and suggestion_id is not null)
     returning id`,
    [eventIds],
  );
  const suggestionIds = rows.map((r) => r.id);
  await tx.query(
    `update agent_runs set prompt = '[redacted]', output = '[redacted]'
     where event_id = any($1::uuid[]) or id in (select agent_run_id from suggestions where id = any($2::uuid[]))`,
    [eventIds, suggestionIds],
  );
  await tx.query(`delete from stream_messages where entity_id = any($1::text[])`, [[...eventIds, ...suggestionIds]]);
}

/** The redact request itself names the customer: keep only that it happened. */
async function scrubSelf(tx: Queryable, id: string, reason: string): Promise<void> {
  await tx.query(
    `update background_events set event_data = jsonb_build_object('redacted', true, 'reason', $2::text, 'shop_domain',
     event_data->>'shop_domain'), event_data_raw = null where id = $1`,
    [id, reason],
  );
}
