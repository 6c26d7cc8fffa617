// Downloads a pinned URL to a file while hashing it; a file whose digest is
// not the pinned one is deleted before anything can read it.
import { createHash } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { type Digest, ProvisionError } from './pinned.js';

/** Generous enough for a .NET SDK on a slow link; a stalled download must still end. */
const DOWNLOAD_TIMEOUT_MS = 60 * 60_000;

/** Downloads a file and refuses it unless its sha256 is the pinned one. */
export async function downloadVerified(url: string, digest: Digest, file: string): Promise<number> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (e) {
    throw new ProvisionError(`cannot download ${url}: ${(e as Error).message}`);
  }
  if (!response.ok || !response.body) throw new ProvisionError(`cannot download ${url}: HTTP ${response.status}`);
  const hash = createHash(digest.algorithm);
  let bytes = 0;
  try {
    await pipeline(
      Readable.fromWeb(response.body as ReadableStream<Uint8Array>),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          bytes += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(file),
    );
  } catch (e) {
    rmSync(file, { force: true });
    throw new ProvisionError(`download of ${url} failed after ${bytes} bytes: ${(e as Error).message}`);
  }
  const actual = hash.digest('hex');
  if (actual !== digest.hex.toLowerCase()) {
    rmSync(file, { force: true });
    throw new ProvisionError(
      `refusing ${url}: its ${digest.algorithm} is ${actual} but the pinned sum is ${digest.hex}; the download was deleted`,
    );
  }
  return bytes;
}
