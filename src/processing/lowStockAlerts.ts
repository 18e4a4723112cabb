/**
 * One alert per fact. Low stock reaches Lookout twice for the same situation: an
 * inventory_levels/update webhook (stored as shopify.inventory.updated, judged low by processing)
 * and the poll's shopify.inventory.low for the variant's low-stock episode. They carry different
 * dedupe keys (a delivery, an episode), so storage keeps both; this check, run inside the commit
 * transaction under the (user, shopify.inventory.low) advisory lock, makes them collide: an item
 * already alerted is not alerted again until the situation changes:
 * - it was restocked since (a stored level above the threshold, or the poll saw it not low after
 *   the alert: `previous_check_at`), or
 * - it sold out (0 available) after an alert above zero.
 * The alert state is the stored events themselves (outcome 'suggested'), read with an index on the
 * inventory item: whichever path, worker or process saw the situation first, the others see it.
 */
import type { Queryable } from '../db/database.js';
import { lastLowStockAlert } from '../db/queries/history.js';

export interface LowStockCandidate {
  /** The plan's primary event id (the key of the answer). */
  key: string;
  userId: string;
  /** Every event the plan covers: none of them counts as an earlier alert. */
  eventIds: string[];
  payload: Record<string, unknown>;
  threshold: number;
  receivedAt: Date;
}

const FAR_FUTURE = new Date('9999-12-31T00:00:00Z');

function itemOf(payload: Record<string, unknown>): string | undefined {
  const v = payload.inventory_item_id;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

function availableOf(payload: Record<string, unknown>): number | null {
  return typeof payload.available === 'number' ? payload.available : null;
}

/** The keys of the candidates that repeat an alert already given (or given earlier in this batch). */
export async function repeatedLowStockAlerts(tx: Queryable, candidates: LowStockCandidate[]): Promise<Set<string>> {
  const repeated = new Set<string>();
  const alertedNow = new Map<string, { at: Date; available: number | null }>();
  for (const c of [...candidates].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())) {
    const item = itemOf(c.payload);
    if (!item) continue;
    const mapKey = `${c.userId}|${item}`;
    // Any alert already given counts, even one for an event received after this one: the poll's
    // event may be committed before the webhook's that it duplicates.
    const stored = await lastLowStockAlert(tx, {
      userId: c.userId,
      inventoryItemId: item,
      before: FAR_FUTURE,
      restockBefore: c.receivedAt,
      threshold: c.threshold,
      excludeIds: c.eventIds,
    });
    const inBatch = alertedNow.get(mapKey);
    const last = inBatch ?? (stored ? { at: stored.at, available: stored.available } : undefined);
    const available = availableOf(c.payload);
    let isNew = last === undefined;
    if (!isNew && last) {
      const restocked = inBatch ? false : (stored?.restockedSince ?? false);
      const checked =
        typeof c.payload.previous_check_at === 'string' ? Date.parse(c.payload.previous_check_at) : Number.NaN;
      const pollSawItAbove = !Number.isNaN(checked) && checked > last.at.getTime();
      const soldOut = available !== null && available <= 0 && (last.available === null || last.available > 0);
      isNew = restocked || pollSawItAbove || soldOut;
    }
    if (isNew) alertedNow.set(mapKey, { at: c.receivedAt, available });
    else repeated.add(c.key);
  }
  return repeated;
}
