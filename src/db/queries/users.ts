import { randomBytes } from 'node:crypto';
import { sha256 } from '../../lib/secretBox.js';
import {
  type Preferences,
  type Profile,
  readStoredPreferences,
  type StoredPreferences,
  type Vibe,
} from '../../preferences.js';
import type { Queryable } from '../database.js';

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  auto_suggest: boolean;
  loop_enabled: boolean;
  profile: Profile;
  vibe: Vibe;
  preferences: unknown;
  channel_credentials: string | null;
  created_at: Date;
}

export class DuplicateEmailError extends Error {
  override readonly name = 'DuplicateEmailError';
}

/** API keys look like `lk_<32 random base64url chars>`; only their sha256 is stored. */
export function newApiKey(): string {
  return `lk_${randomBytes(24).toString('base64url')}`;
}

export async function createUserWithKey(
  db: Queryable,
  input: { email: string; name?: string | null },
): Promise<{ id: string; apiKey: string }> {
  const apiKey = newApiKey();
  try {
    const { rows } = await db.query<{ id: string }>(
      `with u as (insert into users (email, name) values (lower($1), $2) returning id)
       insert into api_keys (user_id, key_hash, prefix) select id, $3, $4 from u returning user_id as id`,
      [input.email, input.name ?? null, sha256(apiKey), apiKey.slice(0, 7)],
    );
    return { id: rows[0]!.id, apiKey };
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new DuplicateEmailError(`a user with email ${input.email} already exists`);
    throw err;
  }
}

/** The user a bearer key belongs to; lookup by digest, so the key itself never meets the database. */
export async function findUserIdByApiKey(db: Queryable, apiKey: string): Promise<string | undefined> {
  const { rows } = await db.query<{ user_id: string }>(
    'select user_id from api_keys where key_hash = $1 and revoked_at is null',
    [sha256(apiKey)],
  );
  return rows[0]?.user_id;
}

export async function getUser(db: Queryable, userId: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>('select * from users where id = $1', [userId]);
  return rows[0];
}

export function toPreferences(user: UserRow): Preferences {
  return {
    ...readStoredPreferences(user.preferences),
    autoSuggest: user.auto_suggest,
    profile: user.profile,
    vibe: user.vibe,
  };
}

export async function savePreferences(
  db: Queryable,
  userId: string,
  p: {
    autoSuggest: boolean;
    profile: Profile;
    vibe: Vibe;
    stored: StoredPreferences;
    channelCredentials: string | null;
  },
): Promise<void> {
  await db.query(
    `update users set auto_suggest = $2, profile = $3, vibe = $4, preferences = $5, channel_credentials = $6
     where id = $1`,
    [
      userId,
      p.autoSuggest,
      JSON.stringify(p.profile),
      JSON.stringify(p.vibe),
      JSON.stringify(p.stored),
      p.channelCredentials,
    ],
  );
}

export async function setLoopEnabled(db: Queryable, userId: string, enabled: boolean): Promise<void> {
  await db.query('update users set loop_enabled = $2 where id = $1', [userId, enabled]);
}
