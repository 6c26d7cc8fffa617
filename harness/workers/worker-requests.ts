// Routes one validated request to what handles it in this worker process.
// Kept apart from worker-host.ts so the handlers (bench, precompile) import
// the host and the host imports none of them.
import type { ParsedRequest, Response } from './protocol.js';
import { writePrecompiled } from './precompile.js';
import { benchCall } from './worker-bench.js';
import { countCall } from './worker-count.js';
import type { WorkerHost } from './worker-host.js';

/** The response to one request, from the worker's loaded addon. */
export function handleRequest(host: WorkerHost, request: ParsedRequest): Response {
  switch (request.type) {
    case 'info':
      return { type: 'info', info: host.info(request.engine) };
    case 'exec':
      return { type: 'exec', outcome: host.exec(request) };
    case 'precompile':
      return { type: 'precompiled', result: writePrecompiled(host, request) };
    case 'bench':
      return { type: 'bench', result: benchCall(host, request) };
    case 'count':
      return { type: 'counted', result: countCall(host, request) };
    default:
      return { type: 'refused', message: `unexpected request ${request.type}` };
  }
}
