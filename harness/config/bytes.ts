// Turning a suite's BytesSpec into bytes. Generated inputs use xorshift32 so
// that C, C# and the harness agree on benchmark-sized data without files.
import type { BytesSpec } from './suite.js';

/** A seeded PRNG for generated inputs (the same seed gives the same bytes everywhere). */
export function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** Generated input bytes of a kind, size and seed. */
export function generate(kind: 'bytes' | 'ascii' | 'ints-le32', size: number, seed: number): Uint8Array {
  const next = xorshift32(seed);
  const out = new Uint8Array(size);
  if (kind === 'ints-le32') {
    const view = new DataView(out.buffer);
    for (let i = 0; i + 4 <= size; i += 4) view.setUint32(i, next(), true);
    return out;
  }
  for (let i = 0; i < size; i++) out[i] = kind === 'ascii' ? 0x20 + (next() % 95) : next() & 0xff;
  return out;
}

/** The bytes a BytesSpec describes (utf8, hex or generated). */
export function materialize(spec: BytesSpec): Uint8Array {
  if ('utf8' in spec) return new TextEncoder().encode(spec.utf8);
  if ('hex' in spec) return new Uint8Array(Buffer.from(spec.hex, 'hex'));
  if ('json' in spec) return new TextEncoder().encode(JSON.stringify(spec.json));
  return generate(spec.generate.kind, spec.generate.size, spec.generate.seed);
}
