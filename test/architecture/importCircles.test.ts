import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseCircular, parseDependencyTree } from 'dpdm';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every TypeScript file under src/: each is an entry, so a module nothing imports yet is checked too. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return d.name.endsWith('.ts') ? [path.relative(root, full)] : [];
  });
}

describe('imports in src/', () => {
  it('form no circle, type-only imports included', async () => {
    const files = sourceFiles(path.join(root, 'src'));
    assert.ok(files.length > 100, `found only ${files.length} files under src/`);
    const tree = await parseDependencyTree(files, {
      context: root,
      tsconfig: path.join(root, 'tsconfig.json'),
      // transform would compile the files first, which drops `import type`: those count here.
      transform: false,
      skipDynamicImports: false,
      exclude: /node_modules/,
    });
    const analysed = Object.keys(tree).filter((f) => f.startsWith('src/'));
    // The resolver must have followed the `.js` specifiers to their `.ts` files, or nothing is checked.
    assert.ok(analysed.length >= files.length, `analysed ${analysed.length} of ${files.length} files`);
    const circles = parseCircular(tree);
    assert.deepEqual(
      circles.map((c) => c.join(' -> ')),
      [],
      'each import circle is listed; move the shared part into a module both can import',
    );
  });
});
