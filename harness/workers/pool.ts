// One worker per runtime, started on first use. Runtimes work concurrently;
// requests to the same runtime queue behind each other.
import type { Runtime } from '../config/runtimes.js';
import { RuntimeWorker } from './runtime-worker.js';

/** One worker per runtime, started on first use. */
export class WorkerPool {
  private readonly workers = new Map<string, RuntimeWorker>();

  constructor(readonly runtimes: Runtime[]) {}

  worker(runtimeId: string): RuntimeWorker {
    let worker = this.workers.get(runtimeId);
    if (!worker) {
      const runtime = this.runtimes.find((r) => r.id === runtimeId);
      if (!runtime) throw new Error(`no runtime ${runtimeId} in this pool`);
      worker = new RuntimeWorker(runtime);
      this.workers.set(runtimeId, worker);
    }
    return worker;
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    this.workers.clear();
  }
}
