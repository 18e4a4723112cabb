import type { IntegrationRow } from '../db/queries/integrations.js';
import type { SecretBox } from '../lib/secretBox.js';

/**
 * The secrets of an integration, kept sealed in integrations.credentials (lib/secretBox.ts): each
 * source declares which of its connection fields are secret, and only those are stored here.
 */
export interface IntegrationCredentials {
  /** Shopify: an Admin API access token. */
  accessToken?: string;
  /** Shopify: a store's webhook key; Supabase and signed webhooks: the signing secret. */
  webhookSecret?: string;
  /** Supabase: the project's database URL. */
  dbUrl?: string;
}

/** An integration's credentials, opened; none stored reads as none set. */
export function openCredentials(secrets: SecretBox, row: Pick<IntegrationRow, 'credentials'>): IntegrationCredentials {
  return row.credentials ? secrets.openJson<IntegrationCredentials>(row.credentials) : {};
}
