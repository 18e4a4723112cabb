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

export interface SalesPlanInput {
  available: number | undefined;
  /** Units sold in a window of `days` whole days (stored orders, Admin API). */
  units?: number;
  days?: number;
  /** A bare rate, when no window is known. */
  unitsPerDay?: number;
  leadTimeDays: number;
  safetyStockDays: number;
  cycleDays: number;
}

export interface SalesPlan extends ReorderPlan {
  unitsPerDay: number | undefined;
}

/**
 * The same model from units sold over a window: the rate is units ÷ days, and the targets are
 * computed from the integers (ceil(units × days needed ÷ days sold)), so the worked formula a
 * suggestion prints gives exactly the figures it states: 21 units in 7 days, 14 + 30 + 7 days to
 * cover, 4 on hand: ceil(21 × 51 ÷ 7) − 4 = 153 − 4 = 149.
 */
export function planSales(input: SalesPlanInput): SalesPlan {
  const available = Math.max(0, input.available ?? 0);
  if (input.units === undefined || input.days === undefined || !(input.days > 0)) {
    return { ...planReorder({ ...input, unitsPerDay: input.unitsPerDay }), unitsPerDay: input.unitsPerDay };
  }
  const unitsPerDay = input.units / input.days;
  if (!(input.units > 0)) {
    return {
      available,
      coverDays: undefined,
      reorderPoint: undefined,
      targetStock: undefined,
      reorderQuantity: undefined,
      unitsPerDay: 0,
    };
  }
  const targetStock = ceil((input.units * (input.leadTimeDays + input.cycleDays + input.safetyStockDays)) / input.days);
  return {
    available,
    coverDays: available / unitsPerDay,
    reorderPoint: ceil((input.units * (input.leadTimeDays + input.safetyStockDays)) / input.days),
    targetStock,
    reorderQuantity: Math.max(0, targetStock - available),
    unitsPerDay,
  };
}
