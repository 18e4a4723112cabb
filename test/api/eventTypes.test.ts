import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { EVENT_SPECS, EVENT_TYPES, sourceOfType } from '../../src/events/registry.js';
import { SOURCES } from '../../src/sources/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('GET /api/meta/event-types: the registry as clients read it', () => {
  let app: TestApp;
  before(async () => {
    const db = await openPglite();
    await migrate(db);
    app = await startTestApp(db, {}, { role: 'web' });
  });
  after(() => app.close());

  test('every registered type is listed once, with its spec label, source and handling; no key needed', async () => {
    const res = await app.call('GET', '/api/meta/event-types');
    assert.equal(res.status, 200, res.text);
    const listed = res.body.eventTypes as Array<{ type: string; source: string; label: string; handling: string }>;
    assert.deepEqual(listed.map((t) => t.type).sort(), [...EVENT_TYPES].sort());
    for (const t of listed) {
      const spec = EVENT_SPECS[t.type as keyof typeof EVENT_SPECS];
      assert.equal(t.label, spec.label);
      assert.equal(t.handling, spec.handling);
      assert.equal(t.source, sourceOfType(t.type as keyof typeof EVENT_SPECS));
      assert.ok(t.label.trim().length > 0, `${t.type} has a label`);
    }
    assert.deepEqual(
      res.body.sources,
      SOURCES.map((s) => ({ kind: s.kind, label: s.label })),
    );
  });
});
