// Paths that must stay inside a root: suite fixture names, folders handed to
// guests. Every check is made after resolution (realpath), so a `..` or a
// symbolic link cannot lead a copy or a preopen onto a host folder.
import { copyFileSync, lstatSync, mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';

/** Whether `path` is `root` or lies under it (both already resolved). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A relative path written in a file: no absolute path, no `..` or empty segment, no backslash or NUL. */
export const RelativePath = z
  .string()
  .min(1)
  .refine((p) => !isAbsolute(p) && !/[\\\0]/.test(p) && p.split('/').every((s) => s !== '..' && s !== '') && p !== '.', 'a relative path without "..", "\\" or empty segments');

/** Joins `rel` under `root` and throws unless the result stays inside it. */
export function joinInside(root: string, rel: string, what: string): string {
  const path = resolve(root, rel);
  if (!isInside(resolve(root), path)) throw new Error(`${what} "${rel}" leads outside ${root}`);
  return path;
}

/**
 * Copies the folder `src` to `dest` as real files and folders, never as links.
 * A symbolic link is followed only when its target (after resolution) lies
 * inside `root`; one leading elsewhere, or a loop, throws naming the link.
 */
export function copyTreeReal(src: string, dest: string, root: string): void {
  const realRoot = realpathSync(root);
  const realSrc = realpathSync(src);
  if (!isInside(realRoot, realSrc)) throw new Error(`${src} resolves to ${realSrc}, outside ${root}`);
  copyDir(realSrc, dest, realRoot, new Set());
}

function copyDir(src: string, dest: string, root: string, seen: Set<string>): void {
  if (seen.has(src)) throw new Error(`${src}: a symbolic link loop`);
  seen.add(src);
  mkdirSync(dest, { recursive: true });
  for (const name of readdirSync(src)) {
    let from = join(src, name);
    const to = join(dest, name);
    if (lstatSync(from).isSymbolicLink()) {
      const target = realpathSync(from);
      if (!isInside(root, target)) throw new Error(`${from} is a symbolic link to ${target}, outside ${root}`);
      from = target;
    }
    const st = statSync(from);
    if (st.isDirectory()) copyDir(from, to, root, seen);
    else if (st.isFile()) copyFileSync(from, to);
    else throw new Error(`${from} is not a plain file or folder`);
  }
  seen.delete(src);
}
