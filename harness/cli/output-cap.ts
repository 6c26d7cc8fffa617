// `--output-cap BYTES` of the external-program commands: how much of each of
// a guest's stdout and stderr the worker keeps (and compares).
import { EXTERNAL_OUTPUT_CAP_BYTES, MAX_OUTPUT_CAP_BYTES, OutputCapBytes } from '../config/limits.js';
import { UsageError } from '../errors.js';

/** The help line of `--output-cap <bytes>`. */
export const OUTPUT_CAP_HELP = `with --external: bytes of each of stdout and stderr kept and compared, 1 to ${MAX_OUTPUT_CAP_BYTES} (default ${EXTERNAL_OUTPUT_CAP_BYTES}, 64 MiB); a write past it fails in the guest`;

/** The cap a flag gives, or undefined; a usage error (exit 2) for anything but a whole number in range. */
export function parseOutputCap(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parsed = OutputCapBytes.safeParse(/^\d+$/.test(text.trim()) ? Number(text) : NaN);
  if (!parsed.success) throw new UsageError(`--output-cap: "${text}" is not a whole number of bytes from 1 to ${MAX_OUTPUT_CAP_BYTES}`);
  return parsed.data;
}
