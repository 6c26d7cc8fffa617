// Whether a runtime's addon is there, and if not, why and what builds it.
import { existsSync } from 'node:fs';
import type { Runtime } from '../config/runtimes.js';
import { missingToolchain } from './build-addons.js';

/** The command that builds one runtime's addon. */
export function buildCommand(runtime: Pick<Runtime, 'id'>): string {
  return `node dist/harness/cli/main.js build-runtimes --runtime ${runtime.id}`;
}

/**
 * Undefined when the addon is built; otherwise the reason, naming the command
 * that would build it (its Rust toolchain first, when that is what is missing).
 */
export function notBuiltReason(runtime: Runtime): string | undefined {
  if (existsSync(runtime.addonPath)) return undefined;
  const missing = missingToolchain(runtime);
  if (missing) return `not built: ${missing.reason}; build it with: ${missing.command}`;
  return `not built (${runtime.addonPath} is missing); build it with: ${runtime.pinned ? 'npm run build' : buildCommand(runtime)}`;
}
