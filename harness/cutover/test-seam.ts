// A seam for the kill tests of the `.cwasm` cache (harness/cutover/test/cache.test.ts).
// Killing a `cache fill` process while its file sits in staging is a race of a few
// milliseconds; a test that depends on winning it fails on a busy machine. With
// WASM_MATRIX_TEST_HOLD_BEFORE_PUBLISH=<marker path> a fill stops right before it
// publishes, says so by writing the marker, and waits to be killed: the kill then lands
// at that point on any machine. Unset (always, outside tests) it does nothing.
import { writeFileSync } from 'node:fs';

/** The environment variable that makes a fill wait before publishing (tests only). */
export const HOLD_BEFORE_PUBLISH_ENV = 'WASM_MATRIX_TEST_HOLD_BEFORE_PUBLISH';

/** Waits forever (until the process is killed) when the hold is asked for; else returns at once. */
export async function holdBeforePublish(stagedCwasm: string): Promise<void> {
  const marker = process.env[HOLD_BEFORE_PUBLISH_ENV];
  if (!marker) return;
  writeFileSync(marker, stagedCwasm);
  // A timer keeps the event loop alive: a bare pending promise would let Node exit.
  await new Promise<never>(() => setInterval(() => {}, 1 << 30));
}
