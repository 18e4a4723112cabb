import { type Logger, pino } from 'pino';

export type { Logger };

/** Paths that may carry secrets: never written to logs. */
const REDACT = [
  'req.headers.authorization',
  'req.headers["x-shopify-hmac-sha256"]',
  'req.headers["webhook-signature"]',
  '*.accessToken',
  '*.apiKey',
  '*.webhookSecret',
  '*.dbUrl',
  '*.password',
  '*.secret',
  '*.token',
];

export function createLogger(level: string, name = 'lookout'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } });
}
