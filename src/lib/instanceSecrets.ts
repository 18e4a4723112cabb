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
        'LOOKOUT_SECRET_KEY is unset: using the key in the data folder; every process sharing this database needs the same key',
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
      'LOOKOUT_SECRET_KEY does not match the key this database was set up with: stored credentials could not be decrypted',
    );
  }
  return box;
}

/** Checks operator bearer tokens in constant time (sha256 digests of equal length). */
export class AdminTokenVerifier {
  readonly #digests: Buffer[];
  constructor(tokenHashes: string[]) {
    this.#digests = tokenHashes.map((h) => Buffer.from(h, 'hex'));
  }
  verify(token: string): boolean {
    const digest = Buffer.from(sha256(token), 'hex');
    let ok = false;
    for (const d of this.#digests) ok = timingSafeEqual(d, digest) || ok;
    return ok;
  }
  withExtra(token: string): AdminTokenVerifier {
    return new AdminTokenVerifier([...this.#digests.map((d) => d.toString('hex')), sha256(token)]);
  }
}

/**
 * The operator token: LOOKOUT_ADMIN_TOKEN, or one generated at first start, printed once and kept
 * only as a hash. Returns the verifier and, the first time only, the token to print.
 */
export async function loadAdminToken(
  config: Config,
  db: Database,
): Promise<{ verifier: AdminTokenVerifier; generated?: string }> {
  if (config.adminToken) return { verifier: new AdminTokenVerifier([sha256(config.adminToken)]) };
  const candidate = `lka_${randomBytes(24).toString('base64url')}`;
  const { rows } = await db.query<{ value: string; inserted: boolean }>(
    `insert into settings (key, value) values ('admin_token_hash', to_jsonb($1::text))
     on conflict (key) do update set key = excluded.key
     returning value #>> '{}' as value, (xmax = 0) as inserted`,
    [sha256(candidate)],
  );
  const row = rows[0]!;
  return { verifier: new AdminTokenVerifier([row.value]), generated: row.inserted ? candidate : undefined };
}
