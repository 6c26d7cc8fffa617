// The addon's timing-loop call path: a number per call, and a failure that
// surfaces mid-loop still ends the measurement with its status and trap kind.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRuntimes } from '../../config/runtimes.js';
import { WorkerPool } from '../pool.js';
import { parseTimedFailure } from '../worker-bench.js';

const runtimes = loadRuntimes();
const pool = new WorkerPool(runtimes);
afterAll(() => pool.close());
const fixture = join(new URL('./fixtures/', import.meta.url).pathname, 'second-call-traps.wat');

describe('timed calls', () => {
  it('parses the status:trap:message a timed call throws', () => {
    expect(parseTimedFailure('trap:unreachable:wasm trap: x: y')).toEqual({ status: 'trap', trap: 'unreachable', message: 'wasm trap: x: y' });
    expect(parseTimedFailure('guest-error::System.Exception: boom')).toEqual({ status: 'guest-error', message: 'System.Exception: boom' });
    expect(parseTimedFailure('something else')).toEqual({ status: 'error', message: 'something else' });
  });

  it.each(runtimes.map((r) => [r.id]))('ends a bench on %s with the trap that only the steady-state loop hits', async (id) => {
    const answer = await pool.worker(id).request({ type: 'bench', module: { kind: 'file', path: fixture }, call: { style: 'export', name: 'once_then_trap', args: [] }, budgetMs: 50 });
    expect(answer.ok && answer.response.type).toBe('bench');
    const result = answer.ok && answer.response.type === 'bench' ? answer.response.result : undefined;
    expect(result).toMatchObject({ status: 'trap', trap: 'unreachable', perCallNs: [] });
  });
});
