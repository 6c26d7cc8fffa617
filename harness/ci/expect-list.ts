// `run --external DIR --expect FILE`: an upstream-style skip/expectation list
// (WebAssembly/wasi-testsuite's test runner takes `--exclude-filter FILE`, a
// JSON object of suite name -> test name -> reason, read by
// `JSONTestExcludeFilter` in test-runner/wasi_test_runner/filters.py). Here a
// listed test still runs: a failure is reported as `known-failure` with the
// list's reason, a pass as `fixed` (model/judge.ts `withListed` decides).
//
// Accepted forms: `{ "<suite>": { "<test>": "<reason>" } }` (upstream; the
// suite is DIR/manifest.json's `name`, as upstream test suites name
// themselves, else DIR's folder name) and `{ "<test>": "<reason>" }` for one
// folder. A file that is not JSON, not of either form, names only other
// suites, or names a test that is not in DIR is exit 2, naming the file.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';

/** The reason a listed test is expected to fail, by test name (file stem). */
export type ExpectList = Map<string, { file: string; reason: string }>;

const Reasons = z.record(z.string(), z.string());
const ListFile = z.record(z.string(), z.union([z.string(), Reasons]));

/** The suite name of DIR: manifest.json's `name` (wasi-testsuite's layout), else the folder's name. */
export function externalSuiteName(dir: string): string {
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest)) {
    try {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
      if (typeof name === 'string' && name) return name;
    } catch {
      // A manifest that is not JSON names nothing; the folder name serves.
    }
  }
  return basename(resolve(dir));
}

/** Reads FILE for the programs of DIR (`names`); every problem is a UsageError naming the file. */
export function readExpectList(fileArg: string, dir: string, names: readonly string[]): ExpectList {
  const file = resolve(fileArg);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--expect ${file}: ${code === 'ENOENT' ? 'no such file' : code ? (e as Error).message : `not valid JSON: ${(e as Error).message}`}`);
  }
  const parsed = ListFile.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(`--expect ${file}: expected {"<suite>": {"<test>": "<reason>"}} or {"<test>": "<reason>"}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  }
  const suite = externalSuiteName(dir);
  const entries = Object.entries(parsed.data);
  const flat = entries.filter((e): e is [string, string] => typeof e[1] === 'string');
  const bySuite = entries.filter((e): e is [string, Record<string, string>] => typeof e[1] !== 'string');
  if (flat.length && bySuite.length) throw new UsageError(`--expect ${file}: mixes test entries (${flat[0]![0]}) with suite entries (${bySuite[0]![0]}); use one form`);
  let reasons: [string, string][];
  if (bySuite.length) {
    const mine = bySuite.find(([s]) => s === suite);
    if (!mine) throw new UsageError(`--expect ${file}: lists suites ${bySuite.map(([s]) => JSON.stringify(s)).join(', ')}, but ${resolve(dir)} is suite ${JSON.stringify(suite)} (its manifest.json name, else its folder name)`);
    reasons = Object.entries(mine[1]);
  } else {
    reasons = flat;
  }
  const known = new Set(names);
  const unknown = reasons.map(([t]) => t).filter((t) => !known.has(t));
  if (unknown.length) throw new UsageError(`--expect ${file}: names ${unknown.map((t) => JSON.stringify(t)).join(', ')}, not a program of ${resolve(dir)} (its programs: ${names.join(', ')})`);
  return new Map(reasons.map(([t, reason]) => [t, { file, reason }]));
}
