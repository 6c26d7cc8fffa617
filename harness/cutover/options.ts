// What a cut-over rehearsal is asked to do (`wasm-matrix cutover` and the tests).
import type { BuiltArtifact } from '../build/build.js';
import type { Runtime } from '../config/runtimes.js';
import type { Suite } from '../config/suite.js';
import type { BuildOptions, Flavor } from '../toolchains/flavor.js';
import type { CacheEntry } from './cache.js';

/** Test seams: changes on the new side, and hooks between steps. */
export interface CutoverSeams {
  /** An artifact the new runtime gets in place of `artifact` (a change on the new side only). */
  newArtifact?: (artifact: BuiltArtifact) => BuiltArtifact | undefined;
  /** After the new runtime filled its cache, before anything is loaded from it. */
  afterFill?: (ctx: { root: string; entries: CacheEntry[] }) => void | Promise<void>;
  /** Called once the stream runs on the new runtime. */
  afterSwitch?: (ctx: { oldPid: number | undefined; newPid: number | undefined }) => void | Promise<void>;
}

/** The rehearsal's options. */
export interface CutoverOptions {
  from: Runtime;
  to: Runtime;
  suites: Suite[];
  flavors: Flavor[];
  cacheRoot: string;
  outDir: string;
  /** Old serving time is at least 3/4 of it; the new runtime serves the last 1/4. */
  durationS: number;
  buildOptions?: BuildOptions;
  /** Golden calls in flight at once (default 2). */
  concurrency?: number;
  /** Fresh worker processes per cold-start measurement (default 3). */
  coldRounds?: number;
  quiet?: boolean;
  seams?: CutoverSeams;
}

