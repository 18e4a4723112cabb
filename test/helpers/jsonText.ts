/**
 * fast-check arbitraries of JSON *text* (not values): the text is what a sender controls, so the
 * generators choose escapes, number spellings and nesting themselves. Strings hold any UTF-16
 * unit, escaped (NUL, lone surrogates, pairs) or raw (any code point); numbers have any number of
 * digits and exponents up to ten digits, around every limit of PostgreSQL's numeric.
 */
import fc from 'fast-check';

const hex4 = (u: number) => u.toString(16).padStart(4, '0');

/** [text as written in JSON, the characters it decodes to] */
type Piece = [string, string];

const rawCodePoint: fc.Arbitrary<Piece> = fc
  .integer({ min: 0x20, max: 0x10ffff })
  .filter((cp) => !(cp >= 0xd800 && cp <= 0xdfff) && cp !== 0x22 && cp !== 0x5c)
  .map((cp) => {
    const ch = String.fromCodePoint(cp);
    return [ch, ch];
  });

const escapedUnit: fc.Arbitrary<Piece> = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 0xffff }),
      // what PostgreSQL refuses, often enough to matter
      fc.constantFrom(0, 0xd800, 0xd83d, 0xdbff, 0xdc00, 0xde00, 0xdfff),
    ),
    fc.boolean(),
  )
  .map(([u, upper]) => [`\\u${upper ? hex4(u).toUpperCase() : hex4(u)}`, String.fromCharCode(u)]);

const escapedPair: fc.Arbitrary<Piece> = fc.integer({ min: 0x10000, max: 0x10ffff }).map((cp) => {
  const s = String.fromCodePoint(cp);
  return [`\\u${hex4(s.charCodeAt(0))}\\u${hex4(s.charCodeAt(1))}`, s];
});

const shortEscape: fc.Arbitrary<Piece> = fc.constantFrom<Piece>(
  ['\\"', '"'],
  ['\\\\', '\\'],
  ['\\/', '/'],
  ['\\b', '\b'],
  ['\\f', '\f'],
  ['\\n', '\n'],
  ['\\r', '\r'],
  ['\\t', '\t'],
);

export interface JsonStringText {
  text: string;
  decoded: string;
}

export const jsonStringText: fc.Arbitrary<JsonStringText> = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: rawCodePoint },
      { weight: 3, arbitrary: escapedUnit },
      { weight: 1, arbitrary: escapedPair },
      { weight: 1, arbitrary: shortEscape },
      // brackets and quotes inside strings must not count as nesting
      { weight: 1, arbitrary: fc.constantFrom<Piece>(['[', '['], ['{', '{'], [']', ']'], ['}', '}']) },
    ),
    { maxLength: 10 },
  )
  .map((parts) => ({ text: `"${parts.map((p) => p[0]).join('')}"`, decoded: parts.map((p) => p[1]).join('') }));

const digitString = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

const integerPart = fc.oneof(
  { weight: 3, arbitrary: fc.constant('0') },
  { weight: 10, arbitrary: fc.tuple(fc.constantFrom(...'123456789'), digitString(0, 25)).map(([a, b]) => a + b) },
  // around numeric's largest weight: 131,072 integer digits
  { weight: 1, arbitrary: fc.integer({ min: 131_068, max: 131_076 }).map((n) => `1${'0'.repeat(n - 1)}`) },
);

const fractionPart = fc.oneof(
  { weight: 10, arbitrary: digitString(1, 20) },
  // around numeric's largest scale: 16,383 digits after the point
  { weight: 1, arbitrary: fc.integer({ min: 16_378, max: 16_388 }).map((n) => `${'0'.repeat(n - 1)}1`) },
);

const exponentDigits = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 400 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: 16_370, max: 16_400 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: 131_060, max: 131_080 }).map(String) },
  { weight: 1, arbitrary: fc.integer({ min: 1_073_741_815, max: 1_073_741_830 }).map(String) },
  { weight: 1, arbitrary: digitString(1, 25) },
);

export const jsonNumberText: fc.Arbitrary<string> = fc
  .tuple(
    fc.boolean(),
    integerPart,
    fc.option(fractionPart, { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), exponentDigits), { nil: undefined }),
  )
  .map(
    ([negative, int, frac, exp]) =>
      `${negative ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}${exp === undefined ? '' : exp.join('')}`,
  );

const ws = fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n  ');

const { value } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonStringText.map((s) => s.text),
    jsonNumberText,
    fc.constantFrom('true', 'false', 'null'),
    tie('array'),
    tie('object'),
  ),
  array: fc
    .tuple(fc.array(fc.tuple(ws, tie('value'), ws), { maxLength: 4 }), ws)
    .map(([items, pad]) => `[${items.map(([a, v, b]) => a + v + b).join(',') || pad}]`),
  object: fc
    .uniqueArray(fc.tuple(jsonStringText, tie('value'), ws), { maxLength: 4, selector: ([k]) => k.decoded })
    .map((entries) => `{${entries.map(([k, v, pad]) => `${pad}${k.text}${pad}:${pad}${v}`).join(',')}}`),
}));

/** Any JSON value as text; now and then wrapped in arrays 0-600 deep (the limit is 512). */
export const jsonValueText: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: value },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 600 }), value)
      .map(([depth, v]) => `${'['.repeat(depth)}${v}${']'.repeat(depth)}`),
  },
);
