// The stream's part of the go/no-go verdict, on fixed numbers.
import { describe, expect, it } from 'vitest';
import { streamReasons } from '../steps.js';
import type { CutoverSection } from '../schema.js';

const stream = (byRuntime: CutoverSection['stream']['byRuntime'], extra: Partial<CutoverSection['stream']> = {}): CutoverSection['stream'] => ({
  concurrency: 2,
  goldenCalls: 3,
  issued: byRuntime.reduce((n, r) => n + r.served + r.failed, 0),
  answered: byRuntime.reduce((n, r) => n + r.served + r.failed, 0),
  served: byRuntime.reduce((n, r) => n + r.served, 0),
  failed: byRuntime.reduce((n, r) => n + r.failed, 0),
  lost: 0,
  duplicated: 0,
  byRuntime,
  failures: [],
  notStreamed: [],
  ...extra,
});

describe('streamReasons', () => {
  it('is go when both runtimes served and nothing was lost, duplicated or failed', () => {
    expect(streamReasons(stream([{ runtime: 'wasmtime-36', served: 40, failed: 0 }, { runtime: 'wasmtime-48', served: 12, failed: 0 }]), 'wasmtime-48')).toEqual([]);
  });

  it('is no-go when the new runtime served no call, even with nothing lost or failed', () => {
    const reasons = streamReasons(stream([{ runtime: 'wasmtime-36', served: 40, failed: 0 }]), 'wasmtime-48');
    expect(reasons).toEqual(['wasmtime-48 served no calls after the switch']);
    const zero = streamReasons(stream([{ runtime: 'wasmtime-36', served: 40, failed: 0 }, { runtime: 'wasmtime-48', served: 0, failed: 0 }]), 'wasmtime-48');
    expect(zero).toEqual(['wasmtime-48 served no calls after the switch']);
  });

  it('names lost, duplicated and failed calls', () => {
    const reasons = streamReasons(
      stream([{ runtime: 'wasmtime-36', served: 40, failed: 0 }, { runtime: 'wasmtime-48', served: 5, failed: 1 }], {
        lost: 2,
        duplicated: 1,
        failures: [{ n: 7, key: 'core/a/wat', runtime: 'wasmtime-48', reason: 'mismatch' }],
      }),
      'wasmtime-48',
    );
    expect(reasons).toEqual(['2 calls were lost (issued, never answered)', '1 calls were answered twice', '1 served calls failed (1 on wasmtime-48), e.g. core/a/wat: mismatch']);
  });
});
