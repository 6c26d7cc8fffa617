// The serving side of a cut-over: a steady stream of golden calls, a fixed
// number in flight, sent to whichever runtime currently serves. Switching
// changes where the *next* call goes; calls already issued are answered by
// the runtime they were sent to. Every call is numbered and its answers
// counted, so a lost call (issued, never answered) or a duplicated one shows.
import { mean, quantile } from 'simple-statistics';
import { type RawResult, rawFromExec } from '../compare/observe.js';
import { type ExecResult, execOn } from '../workers/exec.js';
import type { ExecRequest } from '../workers/protocol.js';
import type { RuntimeWorker } from '../workers/runtime-worker.js';
import type { LatencyWindow, StreamSummary } from './schema.js';

/** A window of the serving stream (before-fill, during-fill, after-fill, after-switch). */
export type WindowName = LatencyWindow['window'];

/** A golden call the stream serves, and how to check its answer. */
export interface StreamCase {
  key: string;
  /** Whether an answer is the golden one; a reason when not. */
  check(raw: RawResult): { ok: true } | { ok: false; reason: string };
}

/** Where the stream sends calls: a runtime's worker and its requests. */
export interface StreamTarget {
  runtime: string;
  worker: RuntimeWorker;
  request(c: StreamCase): ExecRequest;
}

interface CallRecord {
  n: number;
  key: string;
  runtime: string;
  window: WindowName;
  issuedAt: number;
  answers: number;
  answeredAt?: number;
  latencyMs?: number;
  serviceMs?: number;
  ok?: boolean;
  reason?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A steady stream of golden calls that can switch runtimes with every call accounted for. */
export class ServingStream {
  private readonly records: CallRecord[] = [];
  private target: StreamTarget;
  private window: WindowName = 'before-fill';
  private stopping = false;
  private slots: Promise<void>[] = [];
  private startedAt = 0;
  private next = 0;
  private readonly windowSpans = new Map<string, { start: number; end?: number }>();
  private switchInfo: { at: number; inFlight: CallRecord[]; from: string; to: string } | undefined;

  constructor(
    private readonly cases: StreamCase[],
    initial: StreamTarget,
    private readonly opts: { concurrency: number; watchdogMs: number },
  ) {
    if (!cases.length) throw new Error('a serving stream needs at least one golden case');
    this.target = initial;
  }

  get issued(): number {
    return this.records.length;
  }

  start(window: WindowName): void {
    this.startedAt = performance.now();
    this.setWindow(window);
    for (let i = 0; i < this.opts.concurrency; i++) this.slots.push(this.slot());
  }

  setWindow(window: WindowName): void {
    const now = performance.now();
    const current = this.windowSpans.get(`${this.window}/${this.target.runtime}`);
    if (current && current.end === undefined) current.end = now;
    this.window = window;
    this.windowSpans.set(`${window}/${this.target.runtime}`, { start: now });
  }

  /** From now on calls go to `target`; returns the calls still in flight on the old one. */
  switchTo(target: StreamTarget, window: WindowName): number {
    const now = performance.now();
    const inFlight = this.records.filter((r) => r.answers === 0);
    this.switchInfo = { at: now, inFlight, from: this.target.runtime, to: target.runtime };
    const current = this.windowSpans.get(`${this.window}/${this.target.runtime}`);
    if (current && current.end === undefined) current.end = now;
    this.target = target;
    this.window = window;
    this.windowSpans.set(`${window}/${target.runtime}`, { start: now });
    return inFlight.length;
  }

  private async slot(): Promise<void> {
    while (!this.stopping) {
      const n = this.next++;
      const c = this.cases[n % this.cases.length]!;
      const target = this.target;
      const record: CallRecord = { n, key: c.key, runtime: target.runtime, window: this.window, issuedAt: performance.now(), answers: 0 };
      this.records.push(record);
      let result: ExecResult;
      try {
        result = await execOn(target.worker, target.request(c), this.opts.watchdogMs);
      } catch (e) {
        // The worker could not even be started: still an answer, a failed one.
        result = { status: 'crash', message: (e as Error).message, pid: -1 };
      }
      this.answer(record, c, result);
    }
  }

  private answer(record: CallRecord, c: StreamCase, result: ExecResult): void {
    record.answers++;
    if (record.answers > 1) return;
    record.answeredAt = performance.now();
    record.latencyMs = record.answeredAt - record.issuedAt;
    if ('timings' in result) {
      const t = result.timings;
      record.serviceMs = (t.loadNs + t.instantiateNs + t.initNs + t.callNs) / 1e6;
    }
    const verdict = c.check(rawFromExec(result));
    record.ok = verdict.ok;
    if (!verdict.ok) record.reason = verdict.reason;
  }

  /** Stops issuing, waits for the calls in flight (up to the watchdog), and sums up. */
  async stop(): Promise<{ summary: Omit<StreamSummary, 'notStreamed' | 'goldenCalls'>; latency: LatencyWindow[] }> {
    this.stopping = true;
    const end = performance.now();
    const current = this.windowSpans.get(`${this.window}/${this.target.runtime}`);
    if (current && current.end === undefined) current.end = end;
    await Promise.race([Promise.all(this.slots), sleep(this.opts.watchdogMs + 5000)]);
    return { summary: this.summary(), latency: this.latency() };
  }

  private summary(): Omit<StreamSummary, 'notStreamed' | 'goldenCalls'> {
    const answered = this.records.filter((r) => r.answers > 0);
    const runtimes = [...new Set(this.records.map((r) => r.runtime))];
    const s = this.switchInfo;
    let switchSummary: StreamSummary['switch'];
    if (s) {
      const rel = (t: number) => t - s.at;
      const oldAnswers = answered.filter((r) => r.runtime === s.from).map((r) => r.answeredAt!);
      const newAnswers = answered.filter((r) => r.runtime === s.to).map((r) => r.answeredAt!);
      const around = answered
        .map((r) => r.answeredAt!)
        .filter((t) => t >= s.at - 1000 && t <= s.at + 1000)
        .sort((a, b) => a - b);
      let gap = 0;
      for (let i = 1; i < around.length; i++) gap = Math.max(gap, around[i]! - around[i - 1]!);
      const lastOld = oldAnswers.length ? oldAnswers.reduce((a, b) => Math.max(a, b)) : undefined;
      const firstNew = newAnswers.length ? newAnswers.reduce((a, b) => Math.min(a, b)) : undefined;
      switchSummary = {
        atMs: s.at - this.startedAt,
        inFlight: s.inFlight.length,
        drainedOnOld: s.inFlight.filter((r) => r.answers > 0 && r.runtime === s.from).length,
        ...(lastOld !== undefined ? { lastOldAnswerMs: rel(lastOld) } : {}),
        ...(firstNew !== undefined ? { firstNewAnswerMs: rel(firstNew) } : {}),
        ...(around.length > 1 ? { longestGapMs: gap } : {}),
      };
    }
    return {
      concurrency: this.opts.concurrency,
      issued: this.records.length,
      answered: answered.length,
      served: answered.filter((r) => r.ok).length,
      failed: answered.filter((r) => !r.ok).length,
      lost: this.records.length - answered.length,
      duplicated: this.records.reduce((n, r) => n + Math.max(0, r.answers - 1), 0),
      byRuntime: runtimes.map((runtime) => ({
        runtime,
        served: answered.filter((r) => r.runtime === runtime && r.ok).length,
        failed: answered.filter((r) => r.runtime === runtime && !r.ok).length,
      })),
      ...(switchSummary ? { switch: switchSummary } : {}),
      failures: answered
        .filter((r) => !r.ok)
        .slice(0, 50)
        .map((r) => ({ n: r.n, key: r.key, runtime: r.runtime, reason: r.reason ?? 'failed' })),
    };
  }

  private latency(): LatencyWindow[] {
    const order: WindowName[] = ['before-fill', 'during-fill', 'after-fill', 'after-switch'];
    const out: LatencyWindow[] = [];
    for (const window of order) {
      for (const [key, span] of this.windowSpans) {
        const [w, runtime] = key.split('/') as [WindowName, string];
        if (w !== window) continue;
        const calls = this.records.filter((r) => r.window === window && r.runtime === runtime && r.latencyMs !== undefined);
        const lat = calls.map((r) => r.latencyMs!);
        const service = calls.flatMap((r) => (r.serviceMs !== undefined ? [r.serviceMs] : []));
        out.push({
          window,
          runtime,
          calls: calls.length,
          ...(lat.length
            ? {
                p50Ms: quantile(lat, 0.5),
                p90Ms: quantile(lat, 0.9),
                p99Ms: quantile(lat, 0.99),
                maxMs: lat.reduce((a, b) => Math.max(a, b)),
                meanMs: mean(lat),
              }
            : {}),
          ...(service.length ? { serviceP50Ms: quantile(service, 0.5) } : {}),
          durationMs: (span.end ?? performance.now()) - span.start,
        });
      }
    }
    return out;
  }
}
