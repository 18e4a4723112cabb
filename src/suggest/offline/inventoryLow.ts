/** shopify.inventory.low: days of cover from recent sales, and how much to reorder (formula shown). */
import { EMOJI_SETS, emojiFor } from '../emoji.js';
import { decimal1, integer } from '../format.js';
import { at, num } from '../payload.js';
import { DEFAULT_CYCLE_DAYS, DEFAULT_LEAD_TIME_DAYS, DEFAULT_SAFETY_STOCK_DAYS, planReorder } from '../reorderMath.js';
import { readInventory } from '../shopifyFacts.js';
import { bullets, joinSections, section } from './markdown.js';
import type { Template } from './templateEnv.js';
import type { InventoryPhraseArgs } from './text/shopifyText.js';

const DAY_MS = 86_400_000;

/** The date stock runs out, counted from the event's own timestamp (never the clock). */
function runsOutOn(updatedAt: string | undefined, coverDays: number | undefined): string | undefined {
  if (!updatedAt || coverDays === undefined) return undefined;
  const t = Date.parse(updatedAt);
  return Number.isNaN(t) ? undefined : new Date(t + coverDays * DAY_MS).toISOString().slice(0, 10);
}

export const inventoryLow: Template = (env) => {
  const { t, v, input } = env;
  const ctx = input.context;
  const facts = readInventory(input.eventData, ctx);
  const velocity = ctx?.orderVelocity;
  const unitsPerDay = typeof velocity === 'number' ? velocity : num(at(velocity, 'unitsPerDay'));
  const windowDays = num(at(velocity, 'windowDays'));
  const leadTimeDays = ctx?.leadTimeDays ?? DEFAULT_LEAD_TIME_DAYS;
  const safetyStockDays = ctx?.safetyStockDays ?? DEFAULT_SAFETY_STOCK_DAYS;
  const cycleDays = ctx?.reorderCycleDays ?? DEFAULT_CYCLE_DAYS;
  const plan = planReorder({ available: facts.available, unitsPerDay, leadTimeDays, safetyStockDays, cycleDays });
  const lang = v.language;

  const name = facts.productTitle
    ? `${facts.productTitle}${facts.variantTitle ? ` (${facts.variantTitle})` : ''}`
    : (facts.sku ?? `inventory item ${facts.inventoryItemId ?? '?'}`);
  const velocityText = unitsPerDay !== undefined ? decimal1(unitsPerDay, lang) : '?';
  const a: InventoryPhraseArgs = {
    name,
    available: facts.available !== undefined ? integer(facts.available, lang) : undefined,
    availableCount: facts.available,
    location: facts.locationId,
    unitsPerDay: unitsPerDay !== undefined ? velocityText : undefined,
    windowDays,
    coverDays: plan.coverDays !== undefined ? decimal1(plan.coverDays, lang) : undefined,
    runsOutOn: runsOutOn(facts.updatedAt, plan.coverDays),
    quantity: plan.reorderQuantity !== undefined ? integer(plan.reorderQuantity, lang) : '?',
    quantityValue: plan.reorderQuantity ?? 0,
    reorderPoint: plan.reorderPoint !== undefined ? integer(plan.reorderPoint, lang) : '?',
    belowReorderPoint: plan.reorderPoint !== undefined && plan.available <= plan.reorderPoint,
    worked:
      plan.targetStock !== undefined
        ? `ceil(${velocityText} × (${leadTimeDays} + ${cycleDays} + ${safetyStockDays})) − ${plan.available} = ${plan.targetStock} − ${plan.available} = ${plan.reorderQuantity}`
        : `ceil(? × (${leadTimeDays} + ${cycleDays} + ${safetyStockDays})) − ${plan.available}`,
    leadTimeDays,
    safetyStockDays,
    cycleDays,
    runsOutBeforeDelivery: plan.coverDays !== undefined && plan.coverDays < leadTimeDays,
  };
  const reorderLines =
    plan.reorderQuantity !== undefined
      ? [t.inventory.order(a), t.inventory.formula(a), t.inventory.reorderPoint(a), t.inventory.assumptions(a)]
      : [t.inventory.needVelocity(a), t.inventory.formula(a), t.inventory.assumptions(a)];
  const meanwhile = t.inventory.meanwhile(v.tone, a).map((s, i) => `${emojiFor(v, EMOJI_SETS.alert, i)}${s}`);

  return {
    title: t.inventory.title(a),
    body: joinSections([
      section(t.headings.stock, bullets(t.inventory.facts(a))),
      section(t.headings.reorder, reorderLines.join('\n\n')),
      v.length !== 'short' && section(t.headings.meanwhile, bullets(meanwhile)),
    ]),
    content: {
      item: {
        inventoryItemId: facts.inventoryItemId ?? null,
        locationId: facts.locationId ?? null,
        sku: facts.sku ?? null,
        product: facts.productTitle ?? null,
        variant: facts.variantTitle ?? null,
      },
      available: facts.available ?? null,
      unitsPerDay: unitsPerDay ?? null,
      daysOfCover: plan.coverDays !== undefined ? Math.round(plan.coverDays * 10) / 10 : null,
      leadTimeDays,
      safetyStockDays,
      reorderCycleDays: cycleDays,
      reorderPoint: plan.reorderPoint ?? null,
      reorderQuantity: plan.reorderQuantity ?? null,
      formula: 'ceil(unitsPerDay * (leadTimeDays + reorderCycleDays + safetyStockDays)) - available',
      steps: meanwhile,
    },
  };
};
