// Extracts an archive only when every entry is safe. node-tar on its own
// skips `..` entries with a warning; a toolchain with silently missing files
// is worse than a clear refusal, so the whole archive is checked first.
import { posix } from 'node:path';
import * as tar from 'tar';
import { ProvisionError } from './pinned.js';

interface EntryLike {
  path: string;
  type: string;
  linkpath?: string;
}

const isAbsolute = (p: string): boolean => /^([\\/]|[A-Za-z]:)/.test(p);
const hasDotDot = (p: string): boolean => p.split(/[\\/]/).includes('..');

/** Why an entry must not be extracted, or undefined when it is safe. */
export function entryProblem(entry: EntryLike): string | undefined {
  if (isAbsolute(entry.path)) return 'has an absolute path';
  if (hasDotDot(entry.path)) return 'has a ".." path component';
  if (['CharacterDevice', 'BlockDevice', 'FIFO'].includes(entry.type)) return `is a ${entry.type}`;
  const link = entry.linkpath ?? '';
  if (entry.type === 'SymbolicLink') {
    if (isAbsolute(link)) return `links to the absolute path ${link}`;
    const target = posix.normalize(posix.join(posix.dirname(entry.path.replace(/\\/g, '/')), link.replace(/\\/g, '/')));
    if (target === '..' || target.startsWith('../')) return `links outside the archive (${link})`;
  }
  if (entry.type === 'Link' && (isAbsolute(link) || hasDotDot(link))) return `hard-links outside the archive (${link})`;
  return undefined;
}

/** Lists the archive; throws naming the first unsafe entry, or when the archive is damaged. */
export async function checkArchive(file: string): Promise<number> {
  let count = 0;
  let refused: string | undefined;
  try {
    await tar.t({
      file,
      strict: true,
      onReadEntry: (entry) => {
        count++;
        const problem = entryProblem(entry);
        if (problem && !refused) refused = `entry "${entry.path}" ${problem}`;
      },
    });
  } catch (e) {
    throw new ProvisionError(`refusing archive ${file}: it is damaged or truncated (${(e as Error).message})`);
  }
  if (refused) throw new ProvisionError(`refusing archive ${file}: ${refused}; nothing was extracted`);
  if (count === 0) throw new ProvisionError(`refusing archive ${file}: it has no entries`);
  return count;
}

/** Checks, then extracts into `dir` (which must exist). */
export async function extractSafely(file: string, dir: string, stripComponents = 0): Promise<number> {
  const count = await checkArchive(file);
  try {
    await tar.x({
      file,
      cwd: dir,
      strip: stripComponents,
      strict: true,
      // Second line of defence; checkArchive has already refused such archives.
      filter: (_path, entry) => !('type' in entry && entryProblem(entry as EntryLike)),
    });
  } catch (e) {
    throw new ProvisionError(`extracting ${file} failed: ${(e as Error).message}`);
  }
  return count;
}
