import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderOffline } from '../../src/suggest/offline/renderOffline.js';
import { planReorder, planSales } from '../../src/suggest/reorderMath.js';
import { allCases, inputFor } from './suggestFixtures.js';

const base = { leadTimeDays: 14, safetyStockDays: 7, cycleDays: 30 };

describe('reorder math', () => {
  it('computes days of cover, reorder point and quantity', () => {
    const plan = planReorder({ ...base, available: 12, unitsPerDay: 3 });
    assert.equal(plan.coverDays, 4);
    assert.equal(plan.reorderPoint, 63); // ceil(3 × (14 + 7))
    assert.equal(plan.targetStock, 153); // ceil(3 × (14 + 30 + 7))
    assert.equal(plan.reorderQuantity, 141); // 153 − 12
  });

  it('rounds up fractional demand and forgives float noise', () => {
    assert.equal(planReorder({ ...base, available: 0, unitsPerDay: 2.7 }).reorderQuantity, 138); // ceil(137.7)
    assert.equal(
      planReorder({ leadTimeDays: 30, safetyStockDays: 0, cycleDays: 0, available: 0, unitsPerDay: 0.1 })
        .reorderQuantity,
      3,
    );
  });

  it('orders nothing when stock already covers lead time, cycle and safety stock', () => {
    assert.equal(planReorder({ ...base, available: 500, unitsPerDay: 3 }).reorderQuantity, 0);
  });

  it('cannot size an order without sales velocity, and treats unknown stock as 0', () => {
    const plan = planReorder({ ...base, available: undefined, unitsPerDay: undefined });
    assert.equal(plan.reorderQuantity, undefined);
    assert.equal(plan.available, 0);
  });

  it('works from units sold over the days covered: 21 units in 7 days with 4 on hand', () => {
    // 3.0 a day; cover 4 ÷ 3 = 1.33 days; target ceil(21 × 51 ÷ 7) = 153; reorder 153 − 4 = 149;
    // reorder point ceil(21 × 21 ÷ 7) = 63.
    const plan = planSales({ ...base, available: 4, units: 21, days: 7 });
    assert.equal(plan.unitsPerDay, 3);
    assert.ok(Math.abs((plan.coverDays ?? 0) - 4 / 3) < 1e-12);
    assert.equal(plan.targetStock, 153);
    assert.equal(plan.reorderQuantity, 149);
    assert.equal(plan.reorderPoint, 63);
  });

  it('divides by the days covered, not the window asked for: 21 units over 7 days is not 1.5 a day', () => {
    const covered = planSales({ ...base, available: 4, units: 21, days: 7 });
    const wrong = planSales({ ...base, available: 4, units: 21, days: 14 });
    assert.equal(covered.unitsPerDay, 3);
    assert.equal(wrong.unitsPerDay, 1.5);
    // Dividing by 14 would double the days of cover and nearly halve the order.
    assert.equal(wrong.reorderQuantity, 73); // ceil(21 × 51 ÷ 14) = 77, − 4
    assert.equal(covered.reorderQuantity, 149);
  });

  it('keeps the arithmetic exact on fractional rates: 10 units in 3 days, 5 on hand', () => {
    const plan = planSales({ ...base, available: 5, units: 10, days: 3 });
    assert.equal(plan.targetStock, 170); // ceil(10 × 51 ÷ 3) = ceil(170)
    assert.equal(plan.reorderQuantity, 165);
    assert.equal(plan.reorderPoint, 70); // ceil(10 × 21 ÷ 3)
    assert.equal(plan.coverDays, 1.5);
  });

  it('sizes nothing from a window without sales, but says the rate is zero', () => {
    const plan = planSales({ ...base, available: 2, units: 0, days: 14 });
    assert.equal(plan.unitsPerDay, 0);
    assert.equal(plan.reorderQuantity, undefined);
    assert.equal(plan.coverDays, undefined);
  });

  it('appears in the inventory suggestion with the formula on its own figures', () => {
    const c = allCases().find((x) => x.name === 'inventory low')!;
    const d = renderOffline(inputFor(c));
    assert.equal(d.content.daysOfCover, 4);
    assert.equal(d.content.reorderQuantity, 141);
    assert.equal(d.content.reorderPoint, 63);
    assert.match(
      d.body,
      /42 units sold over the last 14 days \(30 orders, from the orders Lookout stored\): 3\.0 a day/,
    );
    assert.match(d.body, /Reorder \*\*141 units\*\* of Example T-Shirt \(Small\)/);
    assert.match(
      d.body,
      /ceil\(42 sold × \(14 lead \+ 30 cycle \+ 7 safety days\) ÷ 14 days\) − 12 on hand = 153 − 12 = 141/,
    );
    // The run-out date counts from the event's timestamp (2021-12-31T19:00-05:00 + 4 days).
    assert.match(d.body, /until Wed, Jan 5/);
    assert.match(d.title, /4\.0 days/);
  });

  it('uses the lead time, safety stock and cycle from context', () => {
    const c = allCases().find((x) => x.name === 'inventory low')!;
    const d = renderOffline({
      ...inputFor(c),
      context: { ...c.context, leadTimeDays: 7, safetyStockDays: 3, reorderCycleDays: 14 },
    });
    assert.equal(d.content.reorderQuantity, (42 * (7 + 14 + 3)) / 14 - 12);
  });
});
