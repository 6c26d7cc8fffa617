// The stages read top-down (harness/README.md): every import goes to an
// earlier stage (or within its own folder), and no file imports another in a
// circle. Reads the sources, so it fails on the commit that breaks it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../paths.js';

const HARNESS = join(projectRoot, 'harness');

/** The order of harness/README.md: a stage may import only stages of a lower or equal rank. */
const RANK: Record<string, number> = {
  '.': 0,
  util: 0,
  model: 1,
  config: 2,
  // Building and adding runtime addons reads only config and util; run reads
  // a runtime's build status and version order from it (issue 15).
  runtimes: 3,
  workers: 3,
  toolchains: 4,
  build: 5,
  compare: 6,
  report: 7,
  run: 8,
  bench: 9,
  cutover: 9,
  ci: 9,
  // bisect drives every stage below it (build, run --external's programs, workers, runtimes add).
  bisect: 10,
  cli: 10,
};

/** report/ renders the typed sections of bench and cut-over reports: it may import their schemas, nothing else of them. */
const ALLOWED_UP = new Set(['harness/bench/schema.ts', 'harness/cutover/schema.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test' ? [] : sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const files = sources(HARNESS);
const rel = (p: string) => relative(projectRoot, p);
const stageOf = (p: string): string => {
  const parts = relative(HARNESS, p).split('/');
  return parts.length === 1 ? '.' : parts[0]!;
};
const imports = new Map(
  files.map((f) => [
    f,
    [...readFileSync(f, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((m) => normalize(join(dirname(f), m[1]!)).replace(/\.js$/, '.ts')),
  ]),
);

describe('harness stages', () => {
  it('knows every stage folder', () => {
    const stages = new Set(files.map(stageOf));
    expect([...stages].filter((s) => RANK[s] === undefined)).toEqual([]);
    expect(files.length).toBeGreaterThan(100);
  });

  it('import only from their own or an earlier stage', () => {
    const upward: string[] = [];
    for (const [file, targets] of imports) {
      for (const target of targets) {
        if (!target.startsWith(HARNESS)) continue;
        const from = stageOf(file);
        const to = stageOf(target);
        if (from === to || RANK[to]! <= RANK[from]! || (from === 'report' && ALLOWED_UP.has(rel(target)))) continue;
        upward.push(`${rel(file)} -> ${rel(target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no import circle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      state.set(file, 'open');
      for (const next of imports.get(file) ?? []) {
        if (!imports.has(next)) continue;
        if (state.get(next) === 'open') circles.push([...path.slice(path.indexOf(next)), next].map(rel).join(' -> '));
        else if (!state.has(next)) visit(next, [...path, next]);
      }
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file, [file]);
    expect(circles).toEqual([]);
  });

  it('keep the model free of every other stage', () => {
    const modelImports = files.filter((f) => stageOf(f) === 'model').flatMap((f) => (imports.get(f) ?? []).filter((t) => t.startsWith(HARNESS) && stageOf(t) !== 'model').map((t) => `${rel(f)} -> ${rel(t)}`));
    expect(modelImports).toEqual([]);
  });
});
