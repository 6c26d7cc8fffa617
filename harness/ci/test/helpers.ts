// Running the CI commands as processes, and small report helpers.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../../cli/test/cli.js';
import { type Cell, cellKey } from '../../model/cell.js';

export const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/** plan, merge, pack, unpack through the real wasm-matrix binary. */
export const ci = (args: string[], env: Record<string, string> = {}) => cli(args, { env: { ...(process.env as Record<string, string>), ...env } });

/** `run` through the real wasm-matrix binary. */
export const run = (args: string[], env: Record<string, string> = {}) => cli(['run', ...args], { env: { ...(process.env as Record<string, string>), ...env } });

/** A cell's key: the model's one spelling. */
export const keyOf = cellKey;

/** JSON with object keys sorted at every level. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A cell without what differs from run to run (timings, worker pid). */
export function verdictOf(cell: Cell): string {
  const { timings: _t, pid: _p, ...rest } = cell;
  return canonical(rest);
}

export const readJson = <T = unknown>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
