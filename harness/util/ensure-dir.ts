// Creating a folder named by the user (--out, a pack's folder), one level at
// a time from its deepest existing ancestor: Node's recursive mkdir loops
// forever where mkdir fails with ENOENT under an existing parent (/proc), and
// a file in the way gives a stack trace. Here either is one clear line.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** Makes `dirArg` (and its missing parents); throws UsageError naming `what` and the path. */
export function ensureDir(dirArg: string, what: string): string {
  const dir = resolve(dirArg);
  const missing: string[] = [];
  let probe = dir;
  for (;;) {
    let isDir: boolean | undefined;
    try {
      isDir = statSync(probe).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new UsageError(`${what} ${dir} cannot be written: ${probe}: ${code ?? (e as Error).message}`);
    }
    if (isDir === true) break;
    if (isDir === false) throw new UsageError(`${what} ${dir} cannot be written: ${probe} is a file, not a folder`);
    missing.unshift(probe);
    const parent = dirname(probe);
    if (parent === probe) break;
    probe = parent;
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new UsageError(`${what} ${dir} cannot be written: cannot create ${level}: ${code ?? (e as Error).message}`);
    }
  }
  return dir;
}
