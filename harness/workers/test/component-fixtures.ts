// Real components for the tests, built at set-up from the repository's C
// sources by the real flavors: the core suite (dispatcher) and the wasi suite
// (command) as clang-wasi-O2 core modules and as clang-wasi-p2 components.
import { join } from 'node:path';
import { buildArtifact, type BuiltArtifact } from '../../build/build.js';
import { loadSuite, type Suite, suitesRoot } from '../../config/suite.js';
import { defaultBuildOptions, type Flavor } from '../../toolchains/flavor.js';
import { clangO2Flavor } from '../../toolchains/clang.js';
import { clangP2Flavor } from '../../toolchains/clang-p2.js';
import { loadJco } from '../../toolchains/jco.js';

export interface Pair {
  suite: Suite;
  core: BuiltArtifact;
  component: BuiltArtifact;
}

async function built(suite: Suite, flavor: Flavor): Promise<BuiltArtifact> {
  const detection = await flavor.detect();
  if (!detection.available) throw new Error(`${flavor.id} toolchain missing: ${detection.missing.join('; ')}`);
  const outcome = await buildArtifact(suite, flavor, defaultBuildOptions, detection);
  if (outcome.status !== 'built') throw new Error(`${suite.name}/${flavor.id} did not build: ${JSON.stringify(outcome).slice(0, 800)}`);
  return outcome.artifact;
}

/** The same suite as a core module (clang-wasi-O2) and as a component (clang-wasi-p2). */
export async function buildPair(suiteName: string): Promise<Pair> {
  const suite = loadSuite(join(suitesRoot(), suiteName));
  return { suite, core: await built(suite, clangO2Flavor), component: await built(suite, clangP2Flavor) };
}

/** A component written in the component-model text format, as binary. */
export async function componentFromWat(wat: string): Promise<Uint8Array> {
  return (await loadJco()).parse(wat);
}

/** Components whose imports or exports the harness does not provide or run. */
export const IMPORTS_HTTP = `(component (import "wasi:http/outgoing-handler@0.2.0" (instance (export "handle" (func (result u32))))))`;
export const EXPORTS_HTTP = `(component
  (core module $m (func (export "handle")))
  (core instance $i (instantiate $m))
  (func $handle (canon lift (core func $i "handle")))
  (instance $h (export "handle" (func $handle)))
  (export "wasi:http/incoming-handler@0.2.0" (instance $h)))`;
