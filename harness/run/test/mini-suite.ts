// A small suite written into a temporary suites folder, so tests can change
// one constant of a guest and watch the matrix notice.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function cSource(answer: number, spinCases = 0): string {
  const spins = Array.from({ length: spinCases }, (_, i) => `{"spin.${i}", spin}, `).join('');
  return `#include "harness.h"
static int answer(const uint8_t *in, size_t len, harness_buf *out) { (void)in; (void)len; return harness_put_i64(out, ${answer}); }
static int echo(const uint8_t *in, size_t len, harness_buf *out) { return harness_put(out, in, len); }
static int spin(const uint8_t *in, size_t len, harness_buf *out) { (void)in; (void)len; (void)out; for (volatile int i = 0;; i++) {} return 0; }
const harness_case harness_cases[] = {{"answer", answer}, {"answer.compare", answer}, {"echo", echo}, ${spins}{0, 0}};
`;
}

export interface MiniSuite {
  root: string;
  dir: string;
  writeC(answer: number): void;
}

/** A dispatcher suite `mini` in C; `spinCases` adds slow cases for interruption tests. */
export function writeMiniSuite(opts: { spinCases?: number; spinTimeoutMs?: number } = {}): MiniSuite {
  const root = mkdtempSync(join(tmpdir(), 'wasm-matrix-suites-'));
  const dir = join(root, 'mini');
  mkdirSync(join(dir, 'c'), { recursive: true });
  const spins = Array.from({ length: opts.spinCases ?? 0 }, (_, i) => ({
    name: `spin.${i}`,
    call: { style: 'invoke', input: { utf8: '' } },
    expect: { timeout: true },
    timeoutMs: opts.spinTimeoutMs ?? 500,
  }));
  const suite = {
    schemaVersion: 1,
    name: 'mini',
    description: 'a test suite',
    kind: 'dispatcher',
    sources: { c: ['c/mini.c'] },
    cases: [
      { name: 'answer', call: { style: 'invoke', input: { utf8: '' } }, expect: { output: { utf8: '42' } } },
      { name: 'answer.compare', call: { style: 'invoke', input: { utf8: '' } } },
      { name: 'echo', call: { style: 'invoke', input: { hex: '00ff' } }, expect: { output: { hex: '00ff' } } },
      { name: 'missing', call: { style: 'invoke', input: { utf8: '' } }, expect: { guestError: 'WasmMatrix.Guest.UnknownCaseException' } },
      ...spins,
    ],
  };
  writeFileSync(join(dir, 'suite.json'), JSON.stringify(suite, null, 2));
  const writeC = (answer: number) => writeFileSync(join(dir, 'c', 'mini.c'), cSource(answer, opts.spinCases ?? 0));
  writeC(42);
  return { root, dir, writeC };
}
