import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';

/** A user named a folder of this server that they may not read (or that is not there). */
export class PathNotAllowedError extends Error {
  override readonly name = 'PathNotAllowedError';
  constructor(
    readonly code: 'path_not_allowed' | 'path_not_found',
    message: string,
  ) {
    super(message);
  }
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function realRoots(roots: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const root of roots) {
    try {
      out.push(await realpath(root));
    } catch {
      // A configured root that does not exist allows nothing.
    }
  }
  return out;
}

/**
 * Resolves a folder a user named (e.g. a Supabase `migrationsDir`) to its real path, and throws
 * PathNotAllowedError unless it is an existing folder under one of the operator's roots. A
 * relative path is taken from the first root. Symlinks and `..` are resolved before the check,
 * and a path that is outside the roots even before resolving is refused without touching the
 * disk, so the answer never says whether a server path outside the roots exists.
 */
export async function resolveAllowedFolder(
  folder: string,
  roots: readonly string[],
  setting = 'migrationsDir',
): Promise<string> {
  const envName = 'LOOKOUT_MIGRATIONS_ROOT';
  if (roots.length === 0)
    throw new PathNotAllowedError(
      'path_not_allowed',
      `${setting} names a folder on the Lookout server, which this server does not allow (${envName} is not set); ` +
        'send your migration list instead: lookout supabase migrations report --integration ID --dir ' +
        'supabase/migrations',
    );
  if (folder.includes('\0')) throw new PathNotAllowedError('path_not_allowed', `${setting} is not a valid path`);
  const candidate = isAbsolute(folder) ? resolve(folder) : resolve(roots[0]!, folder);
  const outside = new PathNotAllowedError(
    'path_not_allowed',
    `${setting} ${folder} is outside the folders this server allows (${envName})`,
  );
  const realRootPaths = await realRoots(roots);
  if (![...roots.map((r) => resolve(r)), ...realRootPaths].some((root) => inside(candidate, root))) throw outside;
  let real: string;
  try {
    real = await realpath(candidate);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new PathNotAllowedError('path_not_found', `${setting} ${folder} does not exist on the Lookout server`);
    throw new PathNotAllowedError('path_not_found', `${setting} ${folder} cannot be read (${code ?? 'error'})`);
  }
  // After symlinks: the real folder must still be under a root's real path.
  if (!realRootPaths.some((root) => inside(real, root))) throw outside;
  if (!(await stat(real)).isDirectory())
    throw new PathNotAllowedError('path_not_found', `${setting} ${folder} is not a folder`);
  return real;
}
