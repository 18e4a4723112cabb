/**
 * What PostgreSQL's jsonb and timestamptz cannot hold, found before anything reaches the database.
 *
 * A payload can be valid JSON (JSON.parse accepts it, Shopify signed it) and still be refused by
 * `::jsonb`: the refusal fails the whole group commit it shares with other deliveries. These are
 * the cases, measured on PostgreSQL 15 and PGlite (PostgreSQL 18):
 *
 * - `\u0000` anywhere in a string or key: 22P05 "unsupported Unicode escape sequence".
 * - a lone UTF-16 surrogate escape (`"\ud83d"`, a low one alone, two highs): 22P02.
 * - a number `numeric` cannot represent: 22003 "value overflows numeric format". The limits are
 *   exact and follow from the text: a display scale (digits after the point, minus the exponent)
 *   above 16383 (`1e-16384`, `1.5e-16383`, `0e-16384`), a leading digit at 10^131072 or beyond
 *   (`1e131072`, 131073 integer digits; zero is fine at any positive exponent), or an exponent
 *   whose magnitude reaches 1073741823 (PostgreSQL 15 refuses even `0e1073741823`).
 * - nesting too deep: see MAX_PAYLOAD_DEPTH.
 *
 * The store keeps such a payload rather than refusing it (a refused webhook is retried a few times
 * and then the merchant's event is gone): `event_data` gets a sanitised copy (NUL and lone
 * surrogates become U+FFFD, unrepresentable numbers become strings of their exact text, containers
 * nested past the limit become a marker string) and `event_data_raw` the exact text received.
 */

/**
 * Deepest nesting of arrays and objects Lookout accepts (the outermost object is level 1).
 *
 * Why there is a limit at all: PGlite runs PostgreSQL as WebAssembly on Node's own thread, and
 * PostgreSQL parses JSON by recursive descent. Each nesting level costs native (V8) stack, which
 * PostgreSQL's `check_stack_depth()` does not see (it measures the WebAssembly shadow stack, of
 * which a level uses almost nothing), so before PostgreSQL can raise its clean "stack depth limit
 * exceeded", V8 throws RangeError out of the WebAssembly. PGlite's protocol loop
 * (`execProtocolRawSync`) catches every exception around `_PostgresMainLoopOnce()` and only runs
 * PostgreSQL's error recovery (`_PostgresMainLongJmp`) for PostgreSQL's own longjmp: a RangeError
 * is swallowed with no recovery. The statement answers no rows and no error (so an INSERT ... ON
 * CONFLICT DO NOTHING looked like a duplicate), the backend is left mid-statement (an open portal:
 * the next query fails with 24000 "cannot drop portal ... while it is being set up", or loops
 * forever), and since WebAssembly runs synchronously a loop blocks the whole process.
 *
 * Measured with PGlite 0.5.17 on Node 20, fresh instance per depth: `$1::jsonb` breaks at 5,881
 * nested arrays and 5,369 nested objects with Node's default stack (984 KB), at 2,929 / 2,671 with
 * `--stack-size=500` and at 12,068 / 11,025 with `--stack-size=2000`: the depth scales with V8's
 * stack, not with PostgreSQL's max_stack_depth. Real PostgreSQL refuses cleanly (54001) between
 * 10,000 and 50,000 levels. Lookout's own recursive JSON code (lossless-json, JSON.stringify)
 * overflows between 2,000 and 5,000 levels.
 *
 * 512 is ten times below PGlite's failure at the default stack and five times below it with half
 * that stack, while real payloads nest a few levels (Shopify's orders: under 10; Supabase rows
 * with jsonb columns: what the user's schema holds, far below this in practice).
 */
export const MAX_PAYLOAD_DEPTH = 512;

export type PayloadIssue =
  /** `\u0000` in a string or key. */
  | 'nul_character'
  /** A UTF-16 surrogate escape without its pair. */
  | 'lone_surrogate'
  /** A number PostgreSQL's numeric cannot hold. */
  | 'number_out_of_range'
  /** Containers nested deeper than MAX_PAYLOAD_DEPTH. */
  | 'too_deep'
  /** PostgreSQL refused the payload for a reason the checks above did not foresee: event_data is {}. */
  | 'rejected_by_database'
  /** The event's own timestamp was outside what PostgreSQL holds: the time of receipt was used. */
  | 'event_timestamp_out_of_range';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/**
 * True when JSON text (its bytes, or the decoded string) nests arrays/objects deeper than `max`.
 * A scan, not a parse: it runs before JSON.parse (whose cost and recursion it guards) and needs no
 * valid JSON. Brackets, quotes and backslashes are ASCII, never part of a UTF-8 multi-byte
 * sequence or a surrogate, so bytes and UTF-16 units are scanned the same way. Linear, and nearly
 * free for the usual payload: with no more opening brackets than `max` in all, it cannot nest deeper.
 */
export function nestingExceeds(json: Uint8Array | string, max: number = MAX_PAYLOAD_DEPTH): boolean {
  if (openingBracketsAtMost(json, max)) return false;
  const bytes = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) depth--;
  }
  return false;
}

/** Whether `[` and `{` occur at most `max` times in all (native searches, stopping past max). */
function openingBracketsAtMost(json: Uint8Array | string, max: number): boolean {
  let count = 0;
  for (const bracket of ['[', '{'] as const) {
    const find =
      typeof json === 'string'
        ? (from: number) => json.indexOf(bracket, from)
        : (from: number) => Buffer.prototype.indexOf.call(json, bracket.charCodeAt(0), from);
    for (let at = find(0); at !== -1; at = find(at + 1)) if (++count > max) return false;
  }
  return true;
}

/** numeric's limits (see the module comment): display scale, decimal weight, exponent. */
const NUMERIC_MAX_DSCALE = 16383;
const NUMERIC_MAX_DECIMAL_WEIGHT = 131071;
const NUMERIC_MAX_EXPONENT = 1073741823;
const JSON_NUMBER = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** True when PostgreSQL's numeric (hence jsonb) holds this JSON number text exactly. */
export function numericHolds(token: string): boolean {
  const m = JSON_NUMBER.exec(token);
  // Not a JSON number: not ours to judge (the JSON was validated before; the database decides).
  if (!m) return true;
  const intDigits = m[1]!;
  const fracDigits = m[2] ?? '';
  const expText = m[3] ?? '0';
  const expMagnitude = expText.replace(/^[+-]/, '').replace(/^0+/, '');
  if (expMagnitude.length > 10) return false;
  const exponent = Number(expText);
  if (Math.abs(exponent) >= NUMERIC_MAX_EXPONENT) return false;
  if (fracDigits.length - exponent > NUMERIC_MAX_DSCALE) return false;
  const digits = intDigits + fracDigits;
  const firstNonZero = digits.search(/[1-9]/);
  if (firstNonZero === -1) return true;
  return intDigits.length - 1 - firstNonZero + exponent <= NUMERIC_MAX_DECIMAL_WEIGHT;
}

// Cheap whole-text tests (native, linear) that rule every problem out for ordinary payloads, so
// only suspicious ones pay for the character scan: a \u escape of NUL or of a surrogate; an
// exponent of 4+ significant digits or a run of 15,000 digits (below both, scale <= 15,000 + 999
// and weight stays far under the limits; the lookbehind tries a run once, not at every digit);
// and, for depth, no more opening brackets in total than the limit.
const SUSPICIOUS_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;
const SUSPICIOUS_NUMBER = /[eE][+-]?0*[1-9]\d{3}|(?<!\d)\d{15000}/;
const RAW_SURROGATE = /[\uD800-\uDFFF]/;

export interface StorableJson {
  /** JSON text `::jsonb` accepts: the input itself when nothing needed changing. */
  json: string;
  /** What was changed; empty when `json` is the input unchanged. */
  issues: PayloadIssue[];
}

const REPLACEMENT = '\\ufffd';

/**
 * Returns JSON text PostgreSQL's jsonb accepts, with the same content as `text` except what jsonb
 * cannot hold (listed in `issues`). `text` is JSON already validated by the caller; the scan is
 * iterative (no recursion, whatever the depth) and linear.
 */
export function toStorableJson(text: string, maxDepth: number = MAX_PAYLOAD_DEPTH): StorableJson {
  if (
    !SUSPICIOUS_ESCAPE.test(text) &&
    !SUSPICIOUS_NUMBER.test(text) &&
    !RAW_SURROGATE.test(text) &&
    openingBracketsAtMost(text, maxDepth)
  )
    return { json: text, issues: [] };

  const issues = new Set<PayloadIssue>();
  const out: string[] = [];
  let copiedUpTo = 0;
  const replace = (from: number, to: number, replacement: string, issue: PayloadIssue) => {
    out.push(text.slice(copiedUpTo, from), replacement);
    copiedUpTo = to;
    issues.add(issue);
  };

  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = scanString(text, i, replace);
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (depth + 1 > maxDepth) {
        const end = skipContainer(text, i);
        replace(i, end, JSON.stringify(`[nested deeper than ${maxDepth} levels: see the raw payload]`), 'too_deep');
        i = end;
      } else {
        depth++;
        i++;
      }
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
      i++;
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      let end = i + 1;
      while (end < n && isNumberChar(text.charCodeAt(end))) end++;
      const token = text.slice(i, end);
      if (!numericHolds(token)) replace(i, end, JSON.stringify(token), 'number_out_of_range');
      i = end;
    } else {
      i++;
    }
  }
  if (issues.size === 0) return { json: text, issues: [] };
  out.push(text.slice(copiedUpTo));
  return { json: out.join(''), issues: [...issues] };
}

function isNumberChar(c: number): boolean {
  // digits, '.', 'e', 'E', '+', '-'
  return (c >= DIGIT_0 && c <= DIGIT_9) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS;
}

function hexAt(text: string, at: number): number {
  const hex = text.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(hex) ? Number.parseInt(hex, 16) : -1;
}

const isHigh = (u: number) => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number) => u >= 0xdc00 && u <= 0xdfff;

/** Scans the string starting at the quote `start`; returns the index after its closing quote. */
function scanString(
  text: string,
  start: number,
  replace: (from: number, to: number, replacement: string, issue: PayloadIssue) => void,
): number {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      if (text.charCodeAt(i + 1) !== 0x75 /* u */) {
        i += 2;
        continue;
      }
      const unit = hexAt(text, i + 2);
      if (unit === 0) {
        replace(i, i + 6, REPLACEMENT, 'nul_character');
        i += 6;
      } else if (isHigh(unit)) {
        const next = text.charCodeAt(i + 6) === BACKSLASH && text.charCodeAt(i + 7) === 0x75 ? hexAt(text, i + 8) : -1;
        if (isLow(next)) i += 12;
        else {
          replace(i, i + 6, REPLACEMENT, 'lone_surrogate');
          i += 6;
        }
      } else if (isLow(unit)) {
        replace(i, i + 6, REPLACEMENT, 'lone_surrogate');
        i += 6;
      } else {
        i += 6;
      }
      continue;
    }
    // A raw surrogate cannot come from UTF-8, only from a JavaScript string built in process.
    if (isHigh(c) && isLow(text.charCodeAt(i + 1))) i += 2;
    else if (isHigh(c) || isLow(c)) {
      replace(i, i + 1, REPLACEMENT, 'lone_surrogate');
      i++;
    } else i++;
  }
  return n;
}

/** Index after the container opening at `start` (strings inside are skipped whole). */
function skipContainer(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) depth++;
    else if ((c === CLOSE_ARRAY || c === CLOSE_OBJECT) && --depth === 0) return i + 1;
  }
  return text.length;
}

/** The range of instants whose ISO form PostgreSQL's timestamptz reads (years 0001 to 9999). */
const EARLIEST_TIMESTAMP_MS = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST_TIMESTAMP_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * True when PostgreSQL stores this instant as given. JavaScript dates reach year 275760, and
 * years beyond 9999 print as "+010000-..." which PostgreSQL reads as a time zone displacement;
 * year 0 does not exist in PostgreSQL.
 */
export function timestampHolds(d: Date): boolean {
  const t = d.getTime();
  return !Number.isNaN(t) && t >= EARLIEST_TIMESTAMP_MS && t <= LATEST_TIMESTAMP_MS;
}
