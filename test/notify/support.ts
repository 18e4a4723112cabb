import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../src/db/database.js';

/** Rows the notification tests need: a user with preferences and a suggestion of theirs. */

export async function createUser(db: Queryable, preferences: object = {}): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'insert into users (email, preferences) values ($1, $2::jsonb) returning id',
    [`u-${randomUUID()}@example.com`, JSON.stringify(preferences)],
  );
  return rows[0]!.id;
}

export async function createSuggestion(db: Queryable, userId: string, title = 'Restock the Cozy Mug'): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into suggestions (user_id, event_id, event_type, title, body) values ($1, $2, 'shopify.inventory.low', $3,
     $4) returning id`,
    [userId, randomUUID(), title, 'Only 3 left: reorder 40 units before Friday.'],
  );
  return rows[0]!.id;
}

export const waitFor = async <T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
