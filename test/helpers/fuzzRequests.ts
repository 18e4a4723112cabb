/**
 * Generators of bad HTTP requests for the fuzz test, built from the server's own route table: a
 * route added later is fuzzed without editing anything here. Bodies and query strings follow the
 * route's zod schema (field names, types, enums, formats) and then break it: wrong types, numbers
 * that do not fit, NUL characters, lone surrogates, very long strings, unknown keys.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { RouteEntry } from '../../src/api/server.js';
import { percentEncode, type RawRequest } from './rawHttp.js';

/** What the generators draw ids, keys and cursors from. */
export interface FuzzWorld {
  /** Ids of the caller's own objects (any kind). */
  ownIds: string[];
  /** Ids of the other user's objects: never to be read or changed by the caller. */
  otherIds: string[];
  /** Authorization header values, by who they claim to be. */
  auth: { user: string; admin: string };
  /** Page cursors: ones the API handed out, and ones it never could (beyond bigint...). */
  cursor: fc.Arbitrary<string>;
  /** The caller's signed accept/dismiss link tokens. */
  actionTokens: string[];
}

/** A generated request, and who it claims to be (for the leak check). */
export interface FuzzRequest extends RawRequest {
  route: string;
  caller: 'anonymous' | 'user' | 'admin' | 'forged';
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'PURGE', 'SEARCH'];

/** Numbers as JSON text, including what JSON can say but a double or a bigint cannot hold. */
const numberText = fc.oneof(
  fc.integer({ min: -5, max: 300 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.constantFrom(
    '1e999999',
    '-1e999999',
    '1e-400',
    '-0',
    '0.5',
    '1e21',
    '2147483648',
    '-2147483649',
    '9007199254740993',
    '9223372036854775807',
    '9223372036854775808',
    '-9223372036854775809',
    '99999999999999999999999999999999',
    '123456789012345678901234567890e-20',
  ),
);

/** Strings the database or the application could choke on, up to `longest` characters. */
function nastyStringUpTo(longest: number) {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        '\u0000',
        'a\u0000b',
        '\ud83d',
        '\udc00',
        'x\ud800\ud800y',
        '🦊',
        '\u202e\u2028\u2029',
        '\uffff\ufffe',
        '../../../../etc/passwd',
        '%00',
        "'; drop table users; --",
        '$1',
        '{"a":1}',
        'http://127.0.0.1:5432/',
        'postgres://u@8.8.8.8:5432/db?host=127.0.0.1',
        'webcal://169.254.169.254/latest/meta-data',
        'NaN',
        'true',
        'null',
        '__proto__',
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 101, max: longest }).map((n) => 'x'.repeat(n)) },
  );
}

/**
 * Mostly up to 3,000 characters, sometimes up to 70,000: over every field's limit and, in a URL
 * or a header, over Node's 16 KiB of headers (a 431).
 */
export const nastyString = fc.oneof(
  { weight: 30, arbitrary: nastyStringUpTo(3_000) },
  { weight: 1, arbitrary: nastyStringUpTo(70_000) },
);
const nastyUrlString = nastyString;

interface ZodDef {
  type: string;
  shape?: Record<string, { _zod: { def: ZodDef } }>;
  innerType?: { _zod: { def: ZodDef } };
  element?: { _zod: { def: ZodDef } };
  options?: Array<{ _zod: { def: ZodDef } }>;
  entries?: Record<string, string | number>;
  values?: unknown[];
  keyType?: { _zod: { def: ZodDef } };
  valueType?: { _zod: { def: ZodDef } };
  in?: { _zod: { def: ZodDef } };
  format?: string;
  coerce?: boolean;
  pattern?: RegExp;
  checks?: Array<{ _zod: { def: { check: string; format?: string; pattern?: RegExp; minimum?: number } } }>;
}

function defOf(schema: unknown): ZodDef | undefined {
  const zod = (schema as { _zod?: { def?: ZodDef } } | undefined)?._zod;
  return zod?.def;
}

const wrongType = fc.constantFrom('null', '[]', '{}', '"x"', '0', 'true', '[[[]]]', '{"":{}}');

/** A string that looks like what a format expects, or does not. */
function formattedString(
  format: string | undefined,
  world: FuzzWorld,
  nasty: fc.Arbitrary<string> = nastyString,
): fc.Arbitrary<string> {
  const plausible: Record<string, fc.Arbitrary<string>> = {
    uuid: fc.oneof(
      fc.constantFrom(...world.ownIds, ...world.otherIds),
      fc.constant(randomUUID()),
      fc.constantFrom('00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF'),
    ),
    email: fc.emailAddress(),
    url: fc.oneof(
      fc.webUrl(),
      fc.constantFrom('http://localhost/', 'http://[::1]:80/', 'https://10.0.0.1/', 'http://0x7f000001/'),
    ),
  };
  const p = format ? plausible[format] : undefined;
  return p ? fc.oneof({ weight: 2, arbitrary: p }, { weight: 1, arbitrary: nasty }) : nasty;
}

/**
 * How a generated body treats the schema: `broken` breaks it anywhere (wrong types, unknown keys,
 * values out of range); `valid` follows it (formats, patterns, enums, small numbers) so that
 * requests reach the handler and the database; `poisoned` is valid but for some leaves holding
 * what a database column may refuse (NUL, lone surrogates, numbers beyond a double or a bigint).
 */
export type BodyMode = 'broken' | 'valid' | 'poisoned';

/** JSON text shaped like the schema, as the mode says. */
export function jsonTextFor(
  schema: unknown,
  world: FuzzWorld,
  mode: BodyMode = 'broken',
  depth = 0,
): fc.Arbitrary<string> {
  const def = defOf(schema);
  if (!def || depth > 6) return fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v));
  const shaped = shapedText(def, world, mode, depth);
  return mode !== 'broken' ? shaped : fc.oneof({ weight: 8, arbitrary: shaped }, { weight: 1, arbitrary: wrongType });
}

/** Poison in a body that is otherwise valid: what a database column may refuse. */
const poisonLeaf = fc.oneof(
  fc.constantFrom('"\\u0000"', '"a\\u0000"', '"\\ud83d"', '"x\\udfff"', '1e999999', '-1e999999', '9223372036854775808'),
  fc.integer({ min: 101, max: 20_000 }).map((n) => JSON.stringify('y'.repeat(n))),
);

/** A string the schema's own checks would accept, when they say enough to make one. */
function plausibleString(def: ZodDef, world: FuzzWorld): fc.Arbitrary<string> {
  if (def.format === 'uuid') return fc.constantFrom(...world.ownIds, ...world.otherIds);
  if (def.format === 'url') return fc.webUrl();
  const regex = def.pattern ?? def.checks?.find((c) => c._zod.def.format === 'regex')?._zod.def.pattern;
  if (regex) return fc.stringMatching(regex).filter((s) => s.length <= 200);
  const min = def.checks?.find((c) => c._zod.def.check === 'min_length')?._zod.def.minimum ?? 1;
  return fc.stringMatching(new RegExp(`^[a-z][a-z0-9 ]{${Math.max(0, min - 1)},${Math.max(min, 24)}}$`));
}

function shapedText(def: ZodDef, world: FuzzWorld, mode: BodyMode, depth: number): fc.Arbitrary<string> {
  const child = (schema: unknown) => jsonTextFor(schema, world, mode, depth + 1);
  const valid = mode !== 'broken';
  const leaf = (plausible: fc.Arbitrary<string>, broken: fc.Arbitrary<string>) =>
    mode === 'valid'
      ? plausible
      : mode === 'poisoned'
        ? fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: poisonLeaf })
        : fc.oneof(plausible, broken);
  switch (def.type) {
    case 'object': {
      const entries = Object.entries(def.shape ?? {});
      const fields = entries.map(([key, schema]) => {
        const required = !['optional', 'default', 'nullable', 'prefault'].includes(defOf(schema)?.type ?? '');
        const field = child(schema).map((text) => `${JSON.stringify(key)}:${text}`);
        return valid && required ? field : fc.option(field, { freq: 3, nil: undefined });
      });
      const extra = valid
        ? fc.constant(undefined)
        : fc.option(
            fc.tuple(nastyString, jsonTextFor(undefined, world)).map(([k, v]) => `${JSON.stringify(k)}:${v}`),
            { freq: 6, nil: undefined },
          );
      return fc
        .tuple(fc.tuple(...fields), extra)
        .map(([parts, x]) => `{${[...parts, x].filter((p) => p !== undefined).join(',')}}`);
    }
    case 'string':
      return leaf(
        plausibleString(def, world).map((s) => JSON.stringify(s)),
        formattedString(def.format, world).map((s) => JSON.stringify(s)),
      );
    case 'number':
    case 'int':
      return leaf(fc.integer({ min: 0, max: 100 }).map(String), numberText);
    case 'boolean':
      return leaf(fc.constantFrom('true', 'false'), fc.constantFrom('"true"', '1'));
    case 'enum':
      return leaf(
        fc.constantFrom(...Object.values(def.entries ?? {})).map((v) => JSON.stringify(v)),
        nastyString.map((s) => JSON.stringify(s)),
      );
    case 'literal':
      return leaf(
        fc.constantFrom(...(def.values ?? [null])).map((v) => JSON.stringify(v)),
        jsonTextFor(undefined, world),
      );
    case 'array':
      return fc.oneof(
        {
          weight: 12,
          arbitrary: fc.array(child(def.element), { maxLength: valid ? 3 : 6 }).map((i) => `[${i.join(',')}]`),
        },
        // over any sensible maximum (10,000 ids is the largest the API takes)
        ...(valid
          ? []
          : [
              {
                weight: 1,
                arbitrary: fc
                  .constantFrom(101, 501, 1_001, 10_001)
                  .map((n) => `[${Array.from({ length: n }, () => JSON.stringify(randomUUID())).join(',')}]`),
              },
            ]),
      );
    case 'record':
      return fc
        .array(
          fc
            .tuple(valid ? fc.stringMatching(/^[a-z.]{1,20}$/) : nastyString, child(def.valueType))
            .map(([k, v]) => `${JSON.stringify(k)}:${v}`),
          { maxLength: valid ? 3 : 5 },
        )
        .map((parts) => `{${parts.join(',')}}`);
    case 'union':
      return fc.oneof(...(def.options ?? []).map((o) => child(o)));
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return child(def.innerType);
    case 'nullable':
      return fc.oneof({ weight: 1, arbitrary: fc.constant('null') }, { weight: 3, arbitrary: child(def.innerType) });
    case 'pipe':
      return child(def.in);
    default:
      return fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v));
  }
}

/** A query-string value for a field of the querystring schema (text before percent-encoding). */
function queryValueFor(key: string, schema: unknown, world: FuzzWorld): fc.Arbitrary<string> {
  let def = defOf(schema);
  while (def && ['optional', 'default', 'nullable', 'prefault', 'pipe'].includes(def.type))
    def = defOf(def.type === 'pipe' ? def.in : def.innerType);
  const numberLike = fc.oneof(
    numberText,
    fc.constantFrom('', 'NaN', 'Infinity', '-Infinity', '0x10', '1_000', ' 5', '5 ', '+5', '٣'),
  );
  const typed =
    def?.type === 'number' || def?.type === 'int'
      ? numberLike
      : def?.type === 'enum'
        ? fc.constantFrom(...Object.values(def.entries ?? {}).map(String))
        : def?.type === 'string'
          ? fc.oneof(
              { weight: 3, arbitrary: formattedString(def.format, world, nastyUrlString) },
              { weight: key === 'cursor' ? 6 : 1, arbitrary: world.cursor },
              { weight: 1, arbitrary: fc.constantFrom(...world.actionTokens) },
              { weight: 1, arbitrary: fc.constantFrom('\u0000', 'a\u0000b', '\ud83d') },
            )
          : nastyUrlString;
  return fc.oneof({ weight: 3, arbitrary: typed }, { weight: 1, arbitrary: nastyUrlString });
}

/** Values that must be percent-encoded as given: invalid UTF-8, lone escapes. */
const rawEncoded = fc.constantFrom(
  '%00',
  '%ED%A0%BD',
  '%FF',
  '%C0%AF',
  '%F0%9F',
  '%',
  '%zz',
  '%25',
  '%2F..%2F',
  '%E2%80%AE',
);

function encodedValue(text: fc.Arbitrary<string> = nastyUrlString): fc.Arbitrary<string> {
  return fc.oneof({ weight: 5, arbitrary: text.map(percentEncode) }, { weight: 1, arbitrary: rawEncoded });
}

function shapeOf(schema: unknown): Record<string, unknown> {
  const def = defOf(schema);
  return def?.type === 'object' ? (def.shape ?? {}) : {};
}

/** The query string: the schema's fields with good and bad values, unknown keys, repeated keys. */
function queryFor(route: RouteEntry, world: FuzzWorld): fc.Arbitrary<string> {
  const shape = shapeOf(route.schema?.querystring);
  const known = Object.keys(shape);
  const pair = fc.oneof(
    ...(known.length > 0
      ? [
          {
            weight: 6,
            arbitrary: fc.oneof(
              ...known.map((k) => encodedValue(queryValueFor(k, shape[k], world)).map((v) => `${k}=${v}`)),
            ),
          },
        ]
      : []),
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom('cursor', 'limit', 'token', 'lastEventId', 'integration', 'status', 'type', 'days', 'tz'),
          fc.oneof(world.cursor, fc.constantFrom(...world.actionTokens)).map(encodeURIComponent),
        )
        .map(([k, v]) => `${k}=${v}`),
    },
    { weight: 1, arbitrary: encodedValue().map((k) => k) },
    {
      weight: 1,
      arbitrary: fc.tuple(encodedValue(), encodedValue()).map(([k, v]) => `${k}=${v}`),
    },
  );
  const broken = fc.array(pair, { minLength: 1, maxLength: 5 }).map((pairs) => `?${pairs.join('&')}`);
  if (known.length === 0) return fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 3, arbitrary: broken });
  // Valid parameters but one, which is often poisoned: the query gets past validation as a whole
  // and its values reach the handler (a cursor, a type filter...).
  const plausible = fc
    .tuple(
      ...known.map((k) =>
        fc.option(
          plausibleQueryValue(k, shape[k], world).map((v) => `${k}=${percentEncode(v)}`),
          {
            freq: 2,
            nil: undefined,
          },
        ),
      ),
    )
    .map((pairs) => pairs.filter((p) => p !== undefined));
  const poisoned = fc
    .tuple(plausible, fc.constantFrom(...known), fc.constantFrom('\u0000', 'a\u0000b', '\ud83d', 'x'.repeat(5_000)))
    .map(([pairs, key, bad]) => [...pairs.filter((p) => !p.startsWith(`${key}=`)), `${key}=${percentEncode(bad)}`]);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 3, arbitrary: broken },
    { weight: 2, arbitrary: plausible.map((pairs) => `?${pairs.join('&')}`) },
    { weight: 1, arbitrary: poisoned.map((pairs) => `?${pairs.join('&')}`) },
  );
}

/** A query value the field's schema accepts (a page cursor for `cursor`), before percent-encoding. */
function plausibleQueryValue(key: string, schema: unknown, world: FuzzWorld): fc.Arbitrary<string> {
  let def = defOf(schema);
  while (def && ['optional', 'default', 'nullable', 'prefault', 'pipe'].includes(def.type))
    def = defOf(def.type === 'pipe' ? def.in : def.innerType);
  if (key === 'cursor') return world.cursor;
  if (def?.type === 'number' || def?.type === 'int') return fc.integer({ min: 1, max: 200 }).map(String);
  if (def?.type === 'enum') return fc.constantFrom(...Object.values(def.entries ?? {}).map(String));
  if (def?.type === 'string') return plausibleString(def, world);
  return fc.string({ maxLength: 10 });
}

/** A path parameter: the caller's ids, the other user's ids, and everything that is not an id. */
function paramValue(world: FuzzWorld): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...world.ownIds) },
    { weight: 4, arbitrary: fc.constantFrom(...world.otherIds) },
    { weight: 1, arbitrary: fc.uuid().map((u) => u) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...world.ownIds, ...world.otherIds)
        .chain((id) => fc.constantFrom(id.toUpperCase(), `{${id}}`, id.replaceAll('-', ''), `${id}0`, ` ${id}`))
        .map(percentEncode),
    },
    { weight: 3, arbitrary: encodedValue() },
    { weight: 1, arbitrary: fc.integer({ min: 90, max: 400 }).map((n) => 'a'.repeat(n)) },
  );
}

function pathFor(route: RouteEntry, world: FuzzWorld): fc.Arbitrary<string> {
  const parts = route.url.split('/');
  return fc
    .tuple(
      ...parts.map((part) =>
        part.startsWith(':')
          ? paramValue(world)
          : part === '*'
            ? fc.array(encodedValue(), { maxLength: 4 }).map((segments) => segments.join('/'))
            : fc.constant(part),
      ),
    )
    .map((segments) => segments.join('/'));
}

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/json;',
  'application/jsonx',
  'application/vnd.api+json',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  '*/*',
  '',
  ';;;',
);

/** The body: schema-shaped JSON with broken parts, other JSON, malformed text, bytes, nothing. */
function bodyFor(route: RouteEntry, world: FuzzWorld): fc.Arbitrary<string | Buffer | undefined> {
  const shaped = jsonTextFor(route.schema?.body, world);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 4, arbitrary: shaped },
    { weight: 3, arbitrary: jsonTextFor(route.schema?.body, world, 'valid') },
    { weight: 4, arbitrary: jsonTextFor(route.schema?.body, world, 'poisoned') },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        shaped.chain((t) => fc.nat({ max: Math.max(0, t.length - 1) }).map((n) => t.slice(0, n))),
        fc.constantFrom(
          '{',
          '{"a":1,}',
          "{'a':1}",
          'NaN',
          '[1,]',
          '{"a":01}',
          '"\\x"',
          '{"__proto__":{"admin":true}}',
          '{"constructor":{"prototype":{"admin":true}}}',
          '\ufeff{}',
        ),
        fc.string({ maxLength: 50 }),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '{"profile":{"brand":"\\u0000"}}',
        '"\\ud83d"',
        '{"x":"\\udc00"}',
        '1e999999',
        '{"limit":1e999999}',
        `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
        `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 300_000 }).map((n) => JSON.stringify({ x: 'y'.repeat(n) })) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from([0xff, ...b])) },
    // over the 1 MiB body limit
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(1024 * 1024 + 10, 0x20)) },
  );
}

function authFor(route: RouteEntry, world: FuzzWorld) {
  const admin = route.url.startsWith('/api/admin');
  const forged = fc.oneof(
    fc.constantFrom(
      'Bearer',
      'Bearer ',
      'Bearer lk_',
      'Bearer lk_not_a_key_0123456789',
      'bearer lk_not_a_key_0123456789',
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      `Bearer ${'k'.repeat(8_000)}`,
      `Bearer ${world.auth.user.slice(7, -1)}`,
      `Bearer ${world.auth.admin.slice(7)}x`,
      'Bearer \u00ff\u00fe',
      'Bearer a b',
    ),
    fc.string({ maxLength: 40 }).map((s) => `Bearer ${s.replace(/[^\x21-\x7e]/g, 'x')}`),
  );
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ caller: 'anonymous' as const, header: undefined }) },
    { weight: admin ? 2 : 8, arbitrary: fc.constant({ caller: 'user' as const, header: world.auth.user }) },
    { weight: admin ? 8 : 1, arbitrary: fc.constant({ caller: 'admin' as const, header: world.auth.admin }) },
    { weight: 2, arbitrary: forged.map((header) => ({ caller: 'forged' as const, header })) },
  );
}

/** Headers webhook senders and stream clients use, with values that are wrong. */
const extraHeaders = fc.dictionary(
  fc.constantFrom(
    'x-shopify-hmac-sha256',
    'x-shopify-topic',
    'x-shopify-shop-domain',
    'x-shopify-webhook-id',
    'x-shopify-event-id',
    'x-shopify-triggered-at',
    'x-shopify-api-version',
    'webhook-id',
    'webhook-timestamp',
    'webhook-signature',
    'last-event-id',
    'if-none-match',
    'accept',
    'accept-encoding',
    'content-encoding',
    'x-forwarded-for',
    'origin',
  ),
  fc.oneof(
    fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '')),
    fc.constantFrom(
      'products/create',
      'orders/create',
      'app/uninstalled',
      'alpha.myshopify.com',
      'bravo.myshopify.com',
      'v1,AAAA',
      'sha256=abc',
      '99999999999999999999',
      '-1',
      'gzip',
      'br',
      '1.2.3.4, 10.0.0.1',
      '\u00ff\u00fe',
    ),
  ),
  { maxKeys: 5 },
);

/**
 * How often a route is drawn: the more input it takes, the more requests it gets; the HEAD twins
 * of GET routes (same handler) fewer.
 */
function routeWeight(route: RouteEntry): number {
  const s = route.schema ?? {};
  const inputs = (s.body ? 4 : 0) + (s.querystring ? 2 : 0) + (route.url.includes(':') ? 1 : 0);
  return Math.max(1, route.method === 'HEAD' ? Math.ceil(inputs / 2) : 1 + inputs);
}

/** One bad request against a route of the table (or that route's path with another method). */
export function requestFor(routes: readonly RouteEntry[], world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  // One arbitrary per route, built once: building them per request (fc.chain) recompiles every
  // pattern of the schema each time and costs more than the requests themselves.
  return fc.oneof(...routes.map((route) => ({ weight: routeWeight(route), arbitrary: requestForRoute(route, world) })));
}

function requestForRoute(route: RouteEntry, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: fc.oneof(
        { weight: 4, arbitrary: fc.constant(route.method) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      path: pathFor(route, world),
      query: queryFor(route, world),
      auth: authFor(route, world),
      contentType: fc.option(contentTypes, { freq: 5, nil: undefined }),
      extra: extraHeaders,
      body: bodyFor(route, world),
    })
    .map(({ method: drawn, path, query, auth, contentType, extra, body }) => {
      let method = drawn;
      const headers: Record<string, string> = { ...extra };
      if (auth.header !== undefined) headers.authorization = auth.header;
      if (contentType !== undefined) headers['content-type'] = contentType;
      else if (body !== undefined) headers['content-type'] = 'application/json';
      // Headers over Node's 16 KiB limit are refused before the method is known, with a body a
      // HEAD client cannot read: such requests are sent as GET.
      const headBytes = path.length + query.length + Object.values(headers).join('').length;
      if (method === 'HEAD' && headBytes > 12_000) method = 'GET';
      return printable({
        route: `${route.method} ${route.url}`,
        caller: auth.caller,
        method,
        path: `${path}${query}`,
        headers,
        body: method === 'HEAD' ? undefined : body,
      });
    });
}

/** Makes fast-check print a request as describeRequest does (counterexamples hold megabyte bodies). */
export function printable<T extends RawRequest>(r: T): T {
  Object.defineProperty(r, fc.toStringMethod, { value: () => describeRequest(r), enumerable: false });
  return r;
}

/** A request as text for a failure message, long parts cut. */
export function describeRequest(r: RawRequest): string {
  const body =
    r.body === undefined
      ? ''
      : Buffer.isBuffer(r.body)
        ? `<${r.body.length} bytes>`
        : r.body.length > 300
          ? `${r.body.slice(0, 300)}... (${r.body.length} chars)`
          : r.body;
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${v.length > 120 ? `${v.slice(0, 120)}...` : v}`)
    .join('\n');
  return `${r.method} ${r.path.length > 300 ? `${r.path.slice(0, 300)}...` : r.path}\n${headers}\n\n${body}`;
}
