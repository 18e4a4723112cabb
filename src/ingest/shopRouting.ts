import type { Queryable } from '../db/database.js';
import { findShopifyIntegrations, type IntegrationRow } from '../db/queries/integrations.js';

/**
 * Which integrations claim a shop (proven or pending: the webhook route delivers only to proven
 * ones and counts the rest), remembered for a second: at webhook rates the
 * lookup would otherwise be a database round trip per delivery. Only shops that were found are
 * remembered, so a newly connected shop is never answered "unknown" from the cache; this process
 * forgets a shop as soon as one of its integrations changes here (created, proven, deleted), and
 * another process's change (a proof withdrawn by its poll loop) is seen within the TTL (an event
 * stored for an integration deleted meanwhile loses its link to it).
 */
export class ShopRouting {
  readonly #cache = new Map<string, { rows: IntegrationRow[]; expires: number }>();

  constructor(
    private readonly db: Queryable,
    private readonly ttlMs = 1_000,
  ) {}

  async integrationsOf(shop: string): Promise<IntegrationRow[]> {
    const hit = this.#cache.get(shop);
    if (hit && hit.expires > Date.now()) return hit.rows;
    const rows = await findShopifyIntegrations(this.db, shop);
    if (rows.length > 0) this.#cache.set(shop, { rows, expires: Date.now() + this.ttlMs });
    else this.#cache.delete(shop);
    return rows;
  }

  forget(shop?: string | null): void {
    if (shop) this.#cache.delete(shop);
    else this.#cache.clear();
  }
}
