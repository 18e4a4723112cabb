import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from './logger.js';
import { SecretBox, sha256 } from './secretBox.js';

/**
 * The credentials key. LOOKOUT_SECRET_KEY wins; otherwise one is generated into the data folder
 * (mode 0600) and kept there. Every process records the key's fingerprint in `settings`, so a
 * process started with a different key refuses to start instead of failing to decrypt later.
 */
export async function loadSecretBox(config: Config, db: Database, log: Logger): Promise<SecretBox> {
  let secret = config.secretKey;
  if (!secret) {
    const file = join(config.dataDir, 'secret.key');
    if (existsSync(file)) {
      secret = readFileSync(file, 'utf8').trim();
    } else {
      mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
      secret = randomBytes(32).toString('hex');
      writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      log.info({ file }, 'generated a credentials key (set LOOKOUT_SECRET_KEY to manage it yourself)');
    }
    if (config.databaseUrl) {
      log.warn(
        'LOOKOUT_SECRET_KEY is unset: using the key in the data folder; ' +
          'every process sharing this database needs the same key',
      );
    }
  }
  const box = new SecretBox(secret);
  const fingerprint = box.fingerprint();
  const { rows } = await db.query<{ value: string }>(
    `insert into settings (key, value) values ('secret_key_fingerprint', to_jsonb($1::text))
     on conflict (key) do update set key = excluded.key
     returning value #>> '{}' as value`,
    [fingerprint],
  );
  if (rows[0]?.value !== fingerprint) {
    throw new Error(
      'LOOKOUT_SECRET_KEY does not match the key this database was set up with: ' +
        'stored credentials could not be decrypted',
    );
  }
  return box;
}

/** Checks operator bearer tokens in constant time (sha256 digests of equal length). */
export class AdminTokenVerifier {
  #digests: Buffer[];
  readonly #extra: Buffer[] = [];
  constructor(tokenHashes: string[]) {
    this.#digests = tokenHashes.map((h) => Buffer.from(h, 'hex'));
  }
  verify(token: string): boolean {
    const digest = Buffer.from(sha256(token), 'hex');
    let ok = false;
    for (const d of [...this.#digests, ...this.#extra]) ok = timingSafeEqual(d, digest) || ok;
    return ok;
  }
  /** Also accept this token (the per-run control token of an embedded server). */
  addToken(token: string): void {
    this.#extra.push(Buffer.from(sha256(token), 'hex'));
  }
  /** The operator token's digest changed (another process stored its generated token first). */
  replaceHashes(tokenHashes: string[]): void {
    this.#digests = tokenHashes.map((h) => Buffer.from(h, 'hex'));
  }
}

export interface AdminToken {
  verifier: AdminTokenVerifier;
  /**
   * Set when no operator token exists yet: a generated one, accepted from now on but stored only
   * by `keep()`, which start calls once the server is listening. A start that fails (a port in
   * use) therefore spends nothing, and the next start generates and prints a token again.
   */
  generated?: { token: string; keep(): Promise<boolean> };
}

/**
 * The operator token: LOOKOUT_ADMIN_TOKEN, or one generated at the first successful start,
 * printed once and kept only as a hash.
 */
export async function loadAdminToken(config: Config, db: Database): Promise<AdminToken> {
  if (config.adminToken) return { verifier: new AdminTokenVerifier([sha256(config.adminToken)]) };
  const stored = await storedAdminTokenHash(db);
  if (stored) return { verifier: new AdminTokenVerifier([stored]) };
  const token = `lka_${randomBytes(24).toString('base64url')}`;
  const verifier = new AdminTokenVerifier([sha256(token)]);
  return {
    verifier,
    generated: {
      token,
      async keep() {
        const { rows } = await db.query<{ value: string; inserted: boolean }>(
          `insert into settings (key, value) values ('admin_token_hash', to_jsonb($1::text))
           on conflict (key) do update set key = excluded.key
           returning value #>> '{}' as value, (xmax = 0) as inserted`,
          [sha256(token)],
        );
        const row = rows[0]!;
        // Two processes started at once on PostgreSQL: the first one's token is the token.
        if (!row.inserted) verifier.replaceHashes([row.value]);
        return row.inserted;
      },
    },
  };
}

async function storedAdminTokenHash(db: Database): Promise<string | undefined> {
  const { rows } = await db.query<{ value: string }>(
    `select value #>> '{}' as value from settings where key = 'admin_token_hash'`,
  );
  return rows[0]?.value;
}
