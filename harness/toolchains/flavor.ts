// One build path from suite sources to an artifact. Every flavor is a plugin
// behind this interface; the build stage knows nothing of any toolchain.
import type { FlavorId, Suite } from '../config/suite.js';
import type { Lifecycle } from '../workers/protocol.js';

/** Whether a flavor's toolchain is here: its versions, or what is missing and how to get it. */
export interface Detection {
  available: boolean;
  /** Toolchain name -> exact version, when found. Part of every artifact hash. */
  versions: Record<string, string>;
  /** What is missing, one item per thing, e.g. "dotnet SDK 8.0.1xx (dotnet not on PATH)". */
  missing: string[];
  /** The command that provisions what is missing, when the harness can do it. */
  provisionCommand?: string;
  /** What the user must do that the harness cannot (e.g. a feed that is unreachable). */
  howToGet?: string;
}

/** One compiler message, with file and line when known. */
export interface Diagnostic {
  file?: string;
  line?: number;
  column?: number;
  severity: 'error' | 'warning';
  /** CS1002, NETSDK1045, or a clang warning flag such as -Wunused-variable. */
  code?: string;
  message: string;
}

/** Build options that change an artifact (part of its hash). */
export interface BuildOptions {
  configuration: 'Release' | 'Debug';
  /** NativeAOT-LLVM `IlcDisableReflection`, Mono trimming of reflection metadata. */
  reflection: boolean;
  defines: string[];
  /** A user-managed project used in place of the generated one. */
  projectPath?: string;
}

/** The build options when none are given. */
export const defaultBuildOptions: BuildOptions = { configuration: 'Release', reflection: true, defines: [] };

/** What a flavor builds: a suite, options, a work folder and an output path. */
export interface BuildRequest {
  suite: Suite;
  options: BuildOptions;
  /** A fresh scratch folder for this build. */
  workDir: string;
  /** Where the artifact must be written (a `.wasm`, or a native `.exe` for csharp-native). */
  outPath: string;
  /** Streams each line of tool output as it arrives. */
  log: (line: string) => void;
}

/** A build's outcome: the output, or the diagnostics of the failure. */
export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** The exact command lines run, for the build log. */
  commands: string[];
}

/** One build path from source to `.wasm` (or the native reference). */
export interface Flavor {
  id: FlavorId;
  /** The source language in suite.json this flavor builds. */
  language: 'csharp' | 'c' | 'wat' | 'prebuilt';
  /** `native` artifacts run on the host (the csharp-native reference), not on a runtime. */
  target: 'wasm' | 'native';
  /** How a worker brings an artifact of this flavor up before dispatcher calls. */
  lifecycle: Lifecycle;
  /** Files outside the suite and its language's SDK that change the artifact (a WIT world). */
  extraInputs?: string[];
  detect(): Promise<Detection>;
  /** Installs pinned toolchains into the cache; a version stamp makes it happen once. */
  provision?(log: (line: string) => void): Promise<void>;
  build(request: BuildRequest): Promise<BuildResult>;
}
