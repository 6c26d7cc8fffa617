// One filler per cache entry at a time, across processes on this machine: a
// lock file created exclusively (O_EXCL) that names its holder's pid and a
// random token. A lock whose holder is gone (the process died, or in this
// process a token no longer held) is stale and is broken, under a second
// exclusive "breaker" file, so two waiters never both break it and never
// break a lock that was just taken afresh.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { LockRecord } from './schema.js';

/** Tokens of the locks this process holds now. */
const held = new Set<string>();

/** Whether a process id is alive on this machine. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockRecord | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  const parsed = LockRecord.safeParse((() => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  })());
  return parsed.success ? parsed.data : 'unreadable';
}

/** Whether the holder named in a lock is still there. */
export function holderAlive(lock: LockRecord): boolean {
  if (lock.pid === process.pid) return held.has(lock.token);
  return pidAlive(lock.pid);
}

function tryCreate(path: string, record: LockRecord): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(record));
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Breaks `path` if it still holds exactly the stale lock `stale` (or is unreadable and old). */
function breakStale(path: string, stale: LockRecord | 'unreadable'): void {
  const breaker = `${path}.break`;
  const mine: LockRecord = { pid: process.pid, token: randomBytes(8).toString('hex'), since: new Date().toISOString() };
  if (!tryCreate(breaker, mine)) {
    // Someone else is breaking it; if that someone is gone too, clear the breaker for the next try.
    const other = readLock(breaker);
    if (other === 'missing') return;
    if (other === 'unreadable' || !pidAlive(other.pid) || (other.pid === process.pid && !held.has(other.token))) rmSync(breaker, { force: true });
    return;
  }
  held.add(mine.token);
  try {
    const now = readLock(path);
    const same = now !== 'missing' && (stale === 'unreadable' ? now === 'unreadable' : now !== 'unreadable' && now.token === stale.token);
    if (same) rmSync(path, { force: true });
  } finally {
    held.delete(mine.token);
    rmSync(breaker, { force: true });
  }
}

/** A fill lock this process holds. */
export interface HeldLock {
  path: string;
  token: string;
  /** How long taking it waited for another filler. */
  waitedMs: number;
  release(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the lock at `path`, waiting while a live holder has it.
 * An unreadable lock file (its writer died between create and write) counts
 * as stale once it is older than `unreadableGraceMs`.
 */
export async function acquireLock(path: string, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<HeldLock> {
  mkdirSync(dirname(path), { recursive: true });
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const pollMs = opts.pollMs ?? 25;
  const started = Date.now();
  const record: LockRecord = { pid: process.pid, token: randomBytes(8).toString('hex'), since: new Date().toISOString() };
  let unreadableSince: number | undefined;
  for (;;) {
    if (tryCreate(path, record)) {
      held.add(record.token);
      let released = false;
      return {
        path,
        token: record.token,
        waitedMs: Date.now() - started,
        release() {
          if (released) return;
          released = true;
          held.delete(record.token);
          const now = readLock(path);
          if (now !== 'missing' && now !== 'unreadable' && now.token === record.token) rmSync(path, { force: true });
        },
      };
    }
    const current = readLock(path);
    if (current === 'unreadable') {
      unreadableSince ??= Date.now();
      if (Date.now() - unreadableSince > 2000) breakStale(path, 'unreadable');
    } else if (current !== 'missing') {
      unreadableSince = undefined;
      if (!holderAlive(current)) breakStale(path, current);
    }
    if (Date.now() - started > timeoutMs) {
      const who = current === 'missing' || current === 'unreadable' ? current : `pid ${current.pid} since ${current.since}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for the cache lock ${path} (held by ${who})`);
    }
    await sleep(pollMs);
  }
}
