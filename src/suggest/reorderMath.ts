/**
 * Days of cover and reorder quantity, kept apart from the wording so the arithmetic is tested on
 * its own. The model is the textbook periodic-review one:
 *   days of cover    = available / daily sales
 *   reorder point    = ceil(daily sales × (lead time + safety days))
 *   reorder quantity = ceil(daily sales × (lead time + cycle + safety days)) − available, at least 0
 * so an order placed now lasts through the supplier's lead time, then one full cycle, and still
 * leaves the safety stock on the shelf.
 */

export interface ReorderInput {
  /** Units on hand; unknown counts as 0 (the safe side: it orders more, never less). */
  available: number | undefined;
  /** Units sold per day recently; undefined when nothing is known. */
  unitsPerDay: number | undefined;
  leadTimeDays: number;
  safetyStockDays: number;
  cycleDays: number;
}

export interface ReorderPlan {
  available: number;
  coverDays: number | undefined;
  reorderPoint: number | undefined;
  targetStock: number | undefined;
  reorderQuantity: number | undefined;
}

export const DEFAULT_LEAD_TIME_DAYS = 14;
export const DEFAULT_SAFETY_STOCK_DAYS = 7;
export const DEFAULT_CYCLE_DAYS = 30;

/** ceil that forgives float noise: 0.1 × 30 is 3.0000000000000004, which must stay 3. */
function ceil(x: number): number {
  return Math.ceil(x - 1e-9);
}

export function planReorder(input: ReorderInput): ReorderPlan {
  const available = Math.max(0, input.available ?? 0);
  const v = input.unitsPerDay;
  if (v === undefined || !(v > 0)) {
    return {
      available,
      coverDays: undefined,
      reorderPoint: undefined,
      targetStock: undefined,
      reorderQuantity: undefined,
    };
  }
  const targetStock = ceil(v * (input.leadTimeDays + input.cycleDays + input.safetyStockDays));
  return {
    available,
    coverDays: available / v,
    reorderPoint: ceil(v * (input.leadTimeDays + input.safetyStockDays)),
    targetStock,
    reorderQuantity: Math.max(0, targetStock - available),
  };
}
