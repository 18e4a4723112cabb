/**
 * shopify.inventory.low: days of cover from the item's sales over a stated window, and how much to
 * reorder, with the arithmetic shown on the figures themselves. Sales come from stored orders (the
 * days they actually cover) or the Admin API; none in the window is said as such, never "unknown".
 */
import { EMOJI_SETS, emojiFor } from '../emoji.js';
import type { InventoryPhraseArgs } from '../i18n/texts.js';
import { at, num, str } from '../payload.js';
import { DEFAULT_CYCLE_DAYS, DEFAULT_LEAD_TIME_DAYS, DEFAULT_SAFETY_STOCK_DAYS, planSales } from '../reorderMath.js';
import { readInventory } from '../shopifyFacts.js';
import type { SalesWindow } from '../types.js';
import { bullets, joinSections, section } from './markdown.js';
import { defineEventType } from './module.js';

export interface InventoryLowFacts {
  item: {
    inventoryItemId: string | null;
    sku: string | null;
    product: string | null;
    variant: string | null;
    locationId: string | null;
  };
  name: string;
  available: number | null;
  threshold: number | null;
  soldOut: boolean;
  sales: SalesWindow | null;
  unitsPerDay: number | null;
  leadTimeDays: number;
  safetyStockDays: number;
  reorderCycleDays: number;
  plan: {
    coverDays: number | null;
    reorderPoint: number | null;
    targetStock: number | null;
    reorderQuantity: number | null;
  };
  runsOutOn: string | null;
  previousAlert: { at: string; available: number | null } | null;
}

const DAY_MS = 86_400_000;

export const inventoryLow = defineEventType<InventoryLowFacts>({
  needs: ['product', 'sales', 'previousAlert'],
  customerFacing: false,
  facts(input) {
    const ctx = input.context;
    const facts = readInventory(input.eventData, ctx);
    const leadTimeDays = ctx?.leadTimeDays ?? DEFAULT_LEAD_TIME_DAYS;
    const safetyStockDays = ctx?.safetyStockDays ?? DEFAULT_SAFETY_STOCK_DAYS;
    const reorderCycleDays = ctx?.reorderCycleDays ?? DEFAULT_CYCLE_DAYS;
    // A window of stored or Admin API sales is preferred: it names its days. A bare velocity
    // (older callers) is used as given.
    const velocity = ctx?.orderVelocity;
    const sales = ctx?.sales ?? null;
    const legacyPerDay = typeof velocity === 'number' ? velocity : num(at(velocity, 'unitsPerDay'));
    const plan = planSales({
      available: facts.available,
      units: sales?.units,
      days: sales?.days,
      unitsPerDay: sales ? undefined : legacyPerDay,
      leadTimeDays,
      safetyStockDays,
      cycleDays: reorderCycleDays,
    });
    const asOf = Date.parse(facts.updatedAt ?? input.occurredAt ?? '');
    const name = facts.productTitle
      ? `${facts.productTitle}${facts.variantTitle ? ` (${facts.variantTitle})` : ''}`
      : (facts.sku ?? `#${facts.inventoryItemId ?? '?'}`);
    return {
      item: {
        inventoryItemId: facts.inventoryItemId ?? null,
        sku: facts.sku ?? null,
        product: facts.productTitle ?? null,
        variant: facts.variantTitle ?? null,
        locationId: facts.locationId ?? null,
      },
      name,
      available: facts.available ?? null,
      threshold: num(at(input.eventData, 'threshold')) ?? ctx?.inventory?.threshold ?? null,
      soldOut: facts.available !== undefined && facts.available <= 0,
      sales,
      unitsPerDay: plan.unitsPerDay ?? null,
      leadTimeDays,
      safetyStockDays,
      reorderCycleDays,
      plan: {
        coverDays: plan.coverDays !== undefined ? Math.round(plan.coverDays * 10) / 10 : null,
        reorderPoint: plan.reorderPoint ?? null,
        targetStock: plan.targetStock ?? null,
        reorderQuantity: plan.reorderQuantity ?? null,
      },
      runsOutOn:
        plan.coverDays !== undefined && !Number.isNaN(asOf)
          ? new Date(asOf + plan.coverDays * DAY_MS).toISOString()
          : null,
      previousAlert: ctx?.previousAlert ?? null,
    };
  },
  task:
    'Explain the stock situation with the sales window given (units sold, over how many days), the days of ' +
    'cover and the reorder quantity from plan (show the formula on the figures: ceil(units × (lead + cycle + ' +
    'safety) ÷ days) − available), then what to do meanwhile. Use only the figures given. content: {daysOfCover, ' +
    'reorderQuantity, formula: string, steps: string[]}.',
  render(env, facts) {
    const { t, v, f } = env;
    const text = t.inventoryLow;
    const s = facts.sales;
    const p = facts.plan;
    const a: InventoryPhraseArgs = {
      name: facts.name,
      available: f.integer(Math.max(0, facts.available ?? 0)),
      soldOut: facts.soldOut,
      units: s ? f.integer(s.units) : undefined,
      orders: s ? f.integer(s.orders) : undefined,
      days: s ? f.integer(s.days) : undefined,
      perDay: facts.unitsPerDay !== null ? f.decimal1(facts.unitsPerDay) : undefined,
      cover: p.coverDays !== null ? f.decimal1(p.coverDays) : undefined,
      runsOutOn: facts.runsOutOn ? f.day(facts.runsOutOn) : undefined,
      quantity: p.reorderQuantity !== null ? f.integer(p.reorderQuantity) : undefined,
      target: p.targetStock !== null ? f.integer(p.targetStock) : undefined,
      reorderPoint: p.reorderPoint !== null ? f.integer(p.reorderPoint) : undefined,
      belowReorderPoint: p.reorderPoint !== null && (facts.available ?? 0) <= p.reorderPoint,
      leadTime: f.integer(facts.leadTimeDays),
      safety: f.integer(facts.safetyStockDays),
      cycle: f.integer(facts.reorderCycleDays),
      runsOutBeforeDelivery: p.coverDays !== null && p.coverDays < facts.leadTimeDays,
      source: s ? text.sources[s.source] : undefined,
      previousAt: facts.previousAlert ? f.day(facts.previousAlert.at) : undefined,
      previousAvailable:
        facts.previousAlert?.available !== null && facts.previousAlert?.available !== undefined
          ? f.integer(facts.previousAlert.available)
          : undefined,
    };
    const stock = [text.available(a), facts.previousAlert ? text.previousAlert(a) : undefined];
    const salesLine = s ? (s.units > 0 ? text.sales(a) : text.noSales(a)) : a.perDay ? text.sales(a) : text.noData(a);
    const reorderLines =
      p.reorderQuantity !== null && p.targetStock !== null
        ? [
            p.reorderQuantity > 0 ? text.order(a) : text.noOrderNeeded(a),
            s ? text.formula(a) : undefined,
            text.reorderPoint(a),
            text.assumptions(a),
          ]
        : s && s.units === 0
          ? [text.zeroSalesAdvice(a), text.assumptions(a)]
          : [text.assumptions(a)];
    const meanwhile = [
      text.meanwhile[v.tone](a),
      a.runsOutBeforeDelivery || facts.soldOut ? text.beforeDelivery(a) : undefined,
      text.askSupplier(a),
    ]
      .filter((x): x is string => x !== undefined)
      .map((x, i) => `${emojiFor(v, EMOJI_SETS.alert, i)}${x}`);
    return {
      title: text.title(a),
      body: joinSections([
        section(text.headings.stock, bullets(stock.filter((x): x is string => x !== undefined))),
        section(text.headings.sales, [salesLine, a.cover ? text.cover(a) : undefined].filter(Boolean).join(' ')),
        section(text.headings.reorder, reorderLines.filter(Boolean).join('\n\n')),
        v.length !== 'short' && section(text.headings.meanwhile, bullets(meanwhile)),
      ]),
      content: {
        item: facts.item,
        available: facts.available,
        sales: s ? { units: s.units, orders: s.orders, days: s.days, from: s.from, to: s.to, source: s.source } : null,
        unitsPerDay: facts.unitsPerDay,
        daysOfCover: p.coverDays,
        leadTimeDays: facts.leadTimeDays,
        safetyStockDays: facts.safetyStockDays,
        reorderCycleDays: facts.reorderCycleDays,
        reorderPoint: p.reorderPoint,
        reorderQuantity: p.reorderQuantity,
        formula: 'ceil(units × (leadTimeDays + reorderCycleDays + safetyStockDays) ÷ days) − available',
        steps: meanwhile,
      },
    };
  },
});

/** The item a low-stock payload is about, for the pipeline's alert state and lookups. */
export function inventoryItemOf(payload: unknown): string | undefined {
  return str(at(payload, 'inventory_item_id'));
}
