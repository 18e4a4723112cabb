/**
 * Text PostgreSQL cannot store: `text` and `jsonb` refuse U+0000, and `jsonb` refuses the `\uD83D`
 * escape of a UTF-16 surrogate without its pair (which `text` would silently turn into U+FFFD).
 * JSON and query strings can carry both, so the API refuses them at the boundary, naming the
 * field, instead of answering 500 when the database refuses them.
 */

export interface UnstorableText {
  /** Where it is, as the validation errors name fields: `profile.brand`, `vibe.avoidWords.1`. */
  path: string;
  problem: string;
}

const LONE_SURROGATE = /\p{Cs}/u;

function problemOf(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored';
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired UTF-16 surrogate, which is not valid Unicode';
  return undefined;
}

/**
 * The first string (value or key) in a parsed JSON value or query object that cannot be stored.
 * Iterative: a body nested thousands of levels deep must not overflow the stack.
 */
export function findUnstorableText(value: unknown): UnstorableText | undefined {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = problemOf(v);
      if (problem) return { path, problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: join(path, String(i)) });
    } else if (typeof v === 'object' && v !== null && !Buffer.isBuffer(v)) {
      const entries = Object.entries(v);
      for (const [key] of entries) {
        const problem = problemOf(key);
        if (problem) return { path, problem: `has a key that ${problem}` };
      }
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        stack.push({ value: child, path: join(path, key) });
      }
    }
  }
  return undefined;
}
