import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM encryption of stored credentials (access tokens, webhook secrets, DB URLs).
 * Format: "v1.<iv b64url>.<tag b64url>.<ciphertext b64url>". The key is derived from
 * LOOKOUT_SECRET_KEY with HKDF so any sufficiently long operator string works.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('secret key must be at least 32 characters');
    this.#key = Buffer.from(hkdfSync('sha256', secret, 'lookout', 'credentials-v1', 32));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join(
      '.',
    );
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: string): T {
    return JSON.parse(this.open(sealed)) as T;
  }

  /** An independent secret for another purpose (e.g. signing action links), derived from the same key. */
  deriveSecret(purpose: string): string {
    return Buffer.from(hkdfSync('sha256', this.#key, 'lookout', purpose, 32)).toString('hex');
  }

  /** A value that identifies the key without revealing it: detects processes started with different keys. */
  fingerprint(): string {
    return createHmac('sha256', this.#key).update('lookout-key-check').digest('base64url').slice(0, 22);
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
