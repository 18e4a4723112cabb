import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderOffline } from '../../src/suggest/offline/renderOffline.js';
import { planReorder } from '../../src/suggest/reorderMath.js';
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

  it('appears in the inventory suggestion with the formula stated', () => {
    const c = allCases().find((x) => x.name === 'inventory low')!;
    const d = renderOffline(inputFor(c));
    assert.equal(d.content.daysOfCover, 4);
    assert.equal(d.content.reorderQuantity, 141);
    assert.equal(d.content.reorderPoint, 63);
    assert.match(d.body, /Reorder \*\*141 units\*\* of Example T-Shirt \(Small\)/);
    assert.match(d.body, /ceil\(3\.0 × \(14 \+ 30 \+ 7\)\) − 12 = 153 − 12 = 141/);
    // The run-out date counts from the event's timestamp (2021-12-31T19:00-05:00 + 4 days).
    assert.match(d.body, /runs out around 2022-01-05/);
    assert.match(d.title, /4\.0 days/);
  });

  it('uses the lead time, safety stock and cycle from context', () => {
    const c = allCases().find((x) => x.name === 'inventory low')!;
    const d = renderOffline({
      ...inputFor(c),
      context: { ...c.context, leadTimeDays: 7, safetyStockDays: 3, reorderCycleDays: 14 },
    });
    assert.equal(d.content.reorderQuantity, 3 * (7 + 14 + 3) - 12);
  });
});
