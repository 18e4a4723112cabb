import type { z } from 'zod';
import type { App } from '../api/app.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { IntegrationRow } from '../db/queries/integrations.js';
import type { EventSpec, Payload } from '../events/eventSpec.js';
import type { NewEvent } from '../events/newEvent.js';
import type { ShopRouting } from '../ingest/shopRouting.js';
import type { StoreResult } from '../ingest/storeResult.js';
import type { IntegrationCredentials } from '../integrations/credentials.js';
import type { Logger } from '../lib/logger.js';
import type { SecretBox } from '../lib/secretBox.js';
import type { GuardOptions } from '../lib/urlGuard.js';
import type { Poller } from '../loop/pollers.js';
import type { Metrics } from '../metrics.js';

/**
 * One source of events (Shopify, Supabase, a calendar, any signed-webhook sender), as one module:
 * everything the rest of Lookout needs to know about it. The API, the poll loop, the webhook
 * routes, the registry of event types and the event store loop over the list in sources/index.ts;
 * none of them names a source.
 */
export interface Source<K extends string = string, T extends string = string> {
  /** integrations.kind and background_events.source (both checked by the database: see migrations). */
  kind: K;
  /** Shown to people ("Shopify"). */
  label: string;
  /** The types it emits and their specs (events/eventSpec.ts): its eventTypes.ts. */
  eventTypes: readonly T[];
  eventSpecs: Readonly<Record<T, EventSpec>>;
  /**
   * What an event is about (a product, a table, a calendar entry), computed when it is stored:
   * events with the same subject coalesce (debounce) and are one object's history. Null: none.
   */
  subjectOf(eventType: string, payload: Payload): string | null;
  /** How a user connects it with POST /api/integrations; none: it cannot be connected by users. */
  connection?: Connection;
  /** What GET /api/integrations shows of an integration beyond what every one has (never a secret). */
  view?(row: IntegrationRow): Record<string, unknown>;
  /** Registers its webhook routes in their own scope (see ingest/webhookScope.ts); none: it is only polled. */
  webhookRoutes?(app: App, ctx: SourceContext): void;
  /** Reconciles one integration at each period of the poll loop; none: it is not polled. */
  poller?: Poller;
}

/** What a source's hooks may use of the running instance (AppContext is a superset). */
export interface SourceContext {
  config: Config;
  db: Database;
  log: Logger;
  secrets: SecretBox;
  metrics: Metrics;
  /** The idempotent, batched store every webhook and poll goes through (ingest/eventStore.ts). */
  eventStore: {
    store(events: readonly NewEvent[]): Promise<StoreResult>;
    admit(): () => void;
  };
  /** Shop domain -> connected integrations, for Shopify's webhook routing (briefly cached). */
  shopRouting: ShopRouting;
  /** How user-supplied URLs are checked. */
  urlGuard: GuardOptions;
}

/**
 * The fields a user sends to connect the source (besides `kind`), which of them are secrets, and
 * what happens around the insert. The API builds POST /api/integrations' body from every source's
 * fields; secret fields are sealed into integrations.credentials and never shown again.
 */
export interface Connection<B extends Record<string, unknown> = Record<string, unknown>> {
  fields: z.ZodRawShape;
  /** The fields kept sealed (lib/secretBox.ts) rather than in the integration's config. */
  secretFields: readonly (keyof B & keyof IntegrationCredentials)[];
  /**
   * A signing secret generated at creation (`whsec_` + base64): sealed as credentials.webhookSecret,
   * found by its digest, and shown once in the 201 answer as `webhookSecret`.
   */
  generatesWebhookSecret?: boolean;
  /** Refuses now what the poll loop would refuse later (user-supplied URLs, folders): throws an HttpError. */
  check?(body: B, ctx: SourceContext): Promise<void>;
  /** The integration's non-secret settings, and its routing key (a shop's domain) if it has one. */
  settings(body: B): { config: Record<string, unknown>; shopDomain?: string };
  /**
   * Runs once the integration is stored: where a source proves access or sets up its subscriptions
   * with the provider (Shopify checks the access token). The row as it is now, and fields for the
   * 201 answer.
   */
  afterCreate?(
    row: IntegrationRow,
    body: B,
    ctx: SourceContext,
  ): Promise<{ row: IntegrationRow; answer?: Record<string, unknown> }>;
}

/** Keeps a source's literal kind and event types (the registry derives EventType and SourceKind from them). */
export function defineSource<K extends string, T extends string>(source: Source<K, T>): Source<K, T> {
  return source;
}

/** Types a connection's hooks with its fields' schema. */
export function defineConnection<S extends z.ZodRawShape>(
  fields: S,
  c: Omit<Connection<z.infer<z.ZodObject<S>>>, 'fields'>,
): Connection {
  return { fields, ...c } as unknown as Connection;
}
