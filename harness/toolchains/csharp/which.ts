// Finding an executable on PATH (what a shell would run), without a shell.
import { statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** The full path of an executable on PATH, or undefined. */
export function onPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  const names = process.platform === 'win32' ? [name, `${name}.exe`] : [name];
  for (const dir of path.split(delimiter)) {
    for (const n of names) if (dir && isFile(join(dir, n))) return join(dir, n);
  }
  return undefined;
}

export { isFile };
