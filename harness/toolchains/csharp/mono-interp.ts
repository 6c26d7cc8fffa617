// Flavor mono-interp: the .NET 8 `wasi-experimental` workload bundles the Mono
// interpreter and the guest's IL into one .wasm. Lifecycle command-first:
// _start boots the runtime, then the glue's exports serve dispatcher calls.
import type { Flavor } from '../flavor.js';
import { failure, sourcesProblem } from './build-common.js';
import { runDotnetPlan } from './dotnet-build.js';
import { planMonoBuild } from './mono-project.js';
import { provisionMono, resolveMonoToolchain } from './mono-toolchain.js';

/** C# on the .NET 8 Mono interpreter bundled into one `.wasm`. */
export const monoInterpFlavor: Flavor = {
  id: 'mono-interp',
  language: 'csharp',
  target: 'wasm',
  lifecycle: 'command-first',
  detect: async () => (await resolveMonoToolchain()).detection,
  provision: provisionMono,
  async build(request) {
    const problem = sourcesProblem(request.suite);
    if (problem) return failure(problem);
    const { detection, toolchain } = await resolveMonoToolchain();
    if (!toolchain) return failure(`mono-interp is not available: ${detection.missing.join('; ')}`);
    const plan = planMonoBuild(request, toolchain.sdk);
    request.log(`mono-interp: .NET SDK ${toolchain.sdk}, WASI SDK ${toolchain.wasiSdk.version} (${toolchain.wasiSdk.path})`);
    return runDotnetPlan(plan, toolchain, request);
  },
};
