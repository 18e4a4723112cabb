import { type App, MAX_BODY_BYTES } from '../api/app.js';

/**
 * Webhook signatures cover the exact bytes sent, so webhook routes receive the body as a Buffer
 * whatever its content type; JSON is checked by each source's parser. Bodies over 1 MiB get 413.
 */
export function acceptRawBodies(app: App): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) =>
    done(null, body),
  );
}

export function rawBodyOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The raw body as text, or undefined when it is not valid UTF-8 (JSON bodies must be). */
export function utf8BodyOf(body: unknown): string | undefined {
  try {
    return utf8.decode(rawBodyOf(body));
  } catch {
    return undefined;
  }
}
