// Every flavor, in reference order: the oracle of a compare-only case is the
// first of these whose cell on the newest runtime has a usable result.
import type { FlavorId } from '../config/suite.js';
import { UsageError } from '../errors.js';
import { clangO0Flavor, clangO2Flavor } from './clang.js';
import { clangP2Flavor } from './clang-p2.js';
import { csharpNativeFlavor, monoInterpFlavor, nativeAotLlvmFlavor, nativeAotLlvmP2Flavor } from './csharp/index.js';
import type { Detection, Flavor } from './flavor.js';
import { prebuiltFlavor } from './prebuilt.js';
import { watFlavor } from './wat.js';

/** Every flavor, in reference order. */
export const allFlavors: Flavor[] = [monoInterpFlavor, nativeAotLlvmFlavor, nativeAotLlvmP2Flavor, csharpNativeFlavor, clangO0Flavor, clangO2Flavor, clangP2Flavor, watFlavor, prebuiltFlavor];

/** A flavor by id; an unknown id is a usage error listing the valid ones. */
export function flavorById(id: string): Flavor {
  const found = allFlavors.find((f) => f.id === id);
  if (!found) throw new UsageError(`unknown flavor "${id}"; valid flavors: ${allFlavors.map((f) => f.id).join(', ')}`);
  return found;
}

/** Flavor ids in reference order. */
export const flavorOrder = (): FlavorId[] => allFlavors.map((f) => f.id);

/** Every flavor's detection, run concurrently. */
export async function detectAll(flavors: Flavor[]): Promise<Map<FlavorId, Detection>> {
  const entries = await Promise.all(flavors.map(async (f) => [f.id, await f.detect()] as const));
  return new Map(entries);
}
