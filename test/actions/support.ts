import { readFileSync } from 'node:fs';
import type { Database } from '../../src/db/database.js';
import { insertIntegration } from '../../src/db/queries/integrations.js';
import { renderOffline } from '../../src/suggest/index.js';
import type { SuggestionInput } from '../../src/suggest/types.js';
import type { TestApp } from '../helpers/app.js';

const PRODUCT_TEXT = readFileSync(
  new URL('../../fixtures/shopify/2026-04/products__create.json', import.meta.url),
  'utf8',
);
/** The fixture's product id, exactly: it exceeds 2^53, so JSON.parse alone would round it. */
export const PRODUCT_ID = /"id":\s*(\d+)/.exec(PRODUCT_TEXT)![1]!;
export const PRODUCT_CREATED = { ...(JSON.parse(PRODUCT_TEXT) as Record<string, unknown>), id: PRODUCT_ID };

/** A connected integration as the API would store it: credentials sealed with the instance key. */
export async function connect(
  app: TestApp,
  userId: string,
  i:
    | { kind: 'shopify'; shopDomain: string; accessToken: string; scopes?: string[] }
    | { kind: 'supabase'; dbUrl: string },
): Promise<string> {
  const { secrets } = app.lookout.ctx;
  const row = await insertIntegration(app.lookout.ctx.db, {
    userId,
    kind: i.kind,
    shopDomain: i.kind === 'shopify' ? i.shopDomain : null,
    config: i.kind === 'shopify' && i.scopes ? { scopes: i.scopes } : {},
    credentials: secrets.sealJson(i.kind === 'shopify' ? { accessToken: i.accessToken } : { dbUrl: i.dbUrl }),
    ...(i.kind === 'shopify' ? { shopProof: 'operator' as const } : {}),
  });
  return row.id;
}

/**
 * Stores an event and the suggestion the offline templates write for it (as the pipeline does),
 * so the parts an action applies are the ones generation really produces.
 */
export async function storeSuggestion(
  db: Database,
  s: {
    userId: string;
    integrationId: string;
    eventType: SuggestionInput['eventType'];
    source: 'shopify' | 'supabase';
    payload: unknown;
    context?: SuggestionInput['context'];
    brand?: string;
  },
): Promise<{ id: string; content: Record<string, unknown>; body: string }> {
  const { rows } = await db.query<{ id: string }>(
    `insert into background_events (user_id, integration_id, event_type, source, event_data, event_timestamp,
       dedupe_key, status)
     values ($1, $2, $3, $4, $5, now(), gen_random_uuid()::text, 'processed') returning id`,
    [s.userId, s.integrationId, s.eventType, s.source, JSON.stringify(s.payload)],
  );
  const eventId = rows[0]!.id;
  const draft = renderOffline({
    eventType: s.eventType,
    eventId,
    eventData: s.payload,
    context: s.context,
    profile: { brand: s.brand },
    vibe: {},
  });
  const inserted = await db.query<{ id: string }>(
    `insert into suggestions (user_id, event_id, event_type, title, body, content)
     values ($1, $2, $3, $4, $5, $6) returning id`,
    [s.userId, eventId, s.eventType, draft.title, draft.body, JSON.stringify(draft.content)],
  );
  const id = inserted.rows[0]!.id;
  await db.query(`update background_events set suggestion_id = $1, suggestion_generated = true where id = $2`, [
    id,
    eventId,
  ]);
  return { id, content: draft.content, body: draft.body };
}
