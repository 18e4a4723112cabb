import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_TYPES } from '../../../src/events/registry.js';
import {
  inventoryEventType,
  isLowInventory,
  SUPPORTED_TOPICS,
  topicToEventType,
} from '../../../src/sources/shopify/topics.js';

describe('topicToEventType', () => {
  it('maps every subscribed topic to its event type', () => {
    assert.deepEqual(Object.fromEntries(SUPPORTED_TOPICS.map((t) => [t, topicToEventType(t)])), {
      'products/create': 'shopify.product.created',
      'products/update': 'shopify.product.updated',
      'products/delete': 'shopify.product.deleted',
      'collections/create': 'shopify.collection.created',
      'collections/update': 'shopify.collection.updated',
      'orders/create': 'shopify.order.created',
      'inventory_levels/update': 'shopify.inventory.updated',
      'app/uninstalled': 'shopify.app.uninstalled',
      'customers/data_request': 'shopify.customers.data_request',
      'customers/redact': 'shopify.customers.redact',
      'shop/redact': 'shopify.shop.redact',
    });
  });

  it('uses only event types the rest of Lookout knows', () => {
    for (const topic of SUPPORTED_TOPICS)
      assert.ok((EVENT_TYPES as readonly string[]).includes(topicToEventType(topic)!), topic);
  });

  it('returns null for topics Lookout does not handle, including prototype names', () => {
    assert.equal(topicToEventType('inventory_items/update'), null);
    assert.equal(topicToEventType('orders/paid'), null);
    assert.equal(topicToEventType('toString'), null);
    assert.equal(topicToEventType('__proto__'), null);
  });
});

describe('low inventory', () => {
  it('is at or below the threshold, and never for untracked (null) quantities', () => {
    assert.equal(isLowInventory(5, 5), true);
    assert.equal(isLowInventory(0, 5), true);
    assert.equal(isLowInventory(-2, 0), true);
    assert.equal(isLowInventory(6, 5), false);
    assert.equal(isLowInventory(null, 5), false);
    assert.equal(inventoryEventType(3, 5), 'shopify.inventory.low');
    assert.equal(inventoryEventType(30, 5), 'shopify.inventory.updated');
  });
});
