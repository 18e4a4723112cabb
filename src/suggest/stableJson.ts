/**
 * JSON with sorted keys, so a prompt built from the same facts is the same bytes whatever order a
 * payload listed its fields in. LosslessNumbers and bigints print every digit.
 */
import { isLosslessNumber } from 'lossless-json';

export function stableJson(value: unknown): string {
  return write(value) ?? 'null';
}

function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (isLosslessNumber(value)) return value.value;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (Array.isArray(value)) return `[${value.map((v) => write(v) ?? 'null').join(',')}]`;
  if (value instanceof Date) return JSON.stringify(Number.isNaN(value.getTime()) ? null : value.toISOString());
  const o = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(o).sort()) {
    const v = write(o[key]);
    if (v !== undefined) parts.push(`${JSON.stringify(key)}:${v}`);
  }
  return `{${parts.join(',')}}`;
}
