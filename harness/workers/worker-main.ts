// A worker process: loads exactly one runtime addon and serves requests from
// the supervisor over the IPC channel, one at a time. All timing loops run
// here, so no IPC is ever inside a timed region.
import process from 'node:process';
import { runtimeById } from '../config/runtimes.js';
import { formatZodIssues } from '../config/load.js';
import type { RuntimeAddon } from './addon.js';
import { loadAddon } from './addon.js';
import { Envelope, type ParsedRequest, Reply, type Response } from './protocol.js';
import { WorkerHost } from './worker-host.js';
import { handleRequest } from './worker-requests.js';
import { OUTPUT_SPILL_ENV } from './output-spill.js';

let loaded: { runtimeId: string; host: WorkerHost } | undefined;

function handle(request: ParsedRequest): Response {
  if (request.type === 'load') {
    if (loaded) {
      if (loaded.runtimeId === request.runtimeId) return { type: 'info', info: loaded.host.info({}) };
      return {
        type: 'refused',
        message: `this worker already loaded ${loaded.runtimeId}; one runtime per process, so ${request.runtimeId} needs its own worker`,
      };
    }
    const runtime = runtimeById(request.runtimeId);
    const addon: RuntimeAddon = loadAddon(runtime);
    loaded = { runtimeId: runtime.id, host: new WorkerHost(runtime.id, addon, process.env[OUTPUT_SPILL_ENV]) };
    return { type: 'info', info: loaded.host.info({}) };
  }
  if (request.type === 'die') process.exit(request.code);
  if (!loaded) return { type: 'refused', message: 'no runtime loaded: send `load` first' };
  return handleRequest(loaded.host, request);
}

function send(id: number, response: Response): void {
  const reply = Reply.parse({ id, response });
  process.send?.(reply);
}

process.on('message', (raw: unknown) => {
  const envelope = Envelope.safeParse(raw);
  if (!envelope.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
    send(id, { type: 'refused', message: `malformed request: ${formatZodIssues(envelope.error)}` });
    return;
  }
  let response: Response;
  try {
    response = handle(envelope.data.request as ParsedRequest);
  } catch (e) {
    response = { type: 'refused', message: (e as Error).message };
  }
  send(envelope.data.id, response);
});

process.on('disconnect', () => process.exit(0));
