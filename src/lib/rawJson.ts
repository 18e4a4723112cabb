import { randomBytes } from 'node:crypto';

/**
 * JSON text to embed verbatim in a response: event payloads are kept as text end to end because
 * JSON.parse would round Shopify ids above 2^53.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify that writes RawJson values as their text instead of a string. */
export function stringifyWithRaw(value: unknown): string {
  const raws: string[] = [];
  const marker = `\u0000raw${randomBytes(4).toString('hex')}:`;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `${marker}${raws.length - 1}`;
    }
    return v;
  });
  if (raws.length === 0) return json;
  const quoted = JSON.stringify(marker).slice(1, -1); // the marker as it appears inside a JSON string
  return json.replace(
    new RegExp(`"${quoted.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}(\\d+)"`, 'g'),
    (_m, i: string) => raws[Number(i)]!,
  );
}
