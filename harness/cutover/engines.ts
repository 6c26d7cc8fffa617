// Which engine configuration a case runs on. A `.cwasm` loads only on an
// engine with the same compatibility hash, and a case that counts fuel needs
// an engine that counts fuel, so the cache holds one folder per (runtime,
// engine configuration) that the suites use. prepareCall (workers/requests.ts)
// stays the one place that maps a case onto engine options.
import type { BuiltArtifact } from '../build/build.js';
import type { CaseSpec, Suite } from '../config/suite.js';
import { prepareCall } from '../workers/requests.js';
import type { EngineOptions } from '../workers/protocol.js';
import type { RuntimeWorker } from '../workers/runtime-worker.js';
import { CompatHash } from './schema.js';

/** The engine configuration a case needs (fuel, memory limit) on an artifact. */
export function engineOf(suite: Suite, testCase: CaseSpec, artifact: BuiltArtifact): EngineOptions {
  const prepared = prepareCall(suite, testCase, artifact);
  try {
    return prepared.request.engine ?? {};
  } finally {
    prepared.cleanup();
  }
}

/** A stable key for engine options (key order does not matter). */
export function engineKey(options: EngineOptions): string {
  return JSON.stringify(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b))));
}

/** A short label for people: `default`, `fuel`, `memory-limit=268435456`. */
export function engineLabel(options: EngineOptions): string {
  const parts = Object.entries(options)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => (k === 'fuel' && v === true ? 'fuel' : k === 'memoryLimitBytes' ? `memory-limit=${v}` : `${k}=${v}`));
  return parts.length ? parts.join(',') : 'default';
}

/** Every engine configuration the suites' cases use (with the default one first). */
export function suiteEngines(suites: Suite[]): EngineOptions[] {
  const seen = new Map<string, EngineOptions>([[engineKey({}), {}]]);
  const stub = { path: '/dev/null', lifecycle: 'reactor' } as unknown as BuiltArtifact;
  for (const suite of suites) {
    for (const testCase of suite.cases) {
      const engine = engineOf(suite, testCase, stub);
      seen.set(engineKey(engine), engine);
    }
  }
  return [...seen.values()];
}

/** The compatibility hash of one engine configuration, as the runtime's own worker reports it. */
export class EngineHashes {
  private readonly known = new Map<string, string>();

  constructor(private readonly worker: RuntimeWorker) {}

  async of(engine: EngineOptions): Promise<string> {
    const key = engineKey(engine);
    const cached = this.known.get(key);
    if (cached) return cached;
    const answer = await this.worker.request({ type: 'info', engine }, 60_000);
    if (!answer.ok) throw new Error(`the ${this.worker.runtime.id} worker ${answer.failure}ed answering info: ${answer.message}`);
    if (answer.response.type !== 'info') {
      const why = answer.response.type === 'refused' ? answer.response.message : `unexpected reply ${answer.response.type}`;
      throw new Error(`the ${this.worker.runtime.id} worker cannot describe engine ${engineLabel(engine)}: ${why}`);
    }
    const hash = CompatHash.parse(answer.response.info.compatibilityHash);
    this.known.set(key, hash);
    return hash;
  }
}
