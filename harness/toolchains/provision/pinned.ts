// What a pinned toolchain download is, and the one error provisioning raises.

/** A pinned sha256. */
export interface Digest {
  /** sha256 by default; sha512 where the publisher only publishes that (the .NET SDK). */
  algorithm: 'sha256' | 'sha512';
  hex: string;
}

/** A pinned toolchain archive: name, version, URL per host, digests. */
export interface PinnedArchive {
  /** Folder name in the cache: `<name>-<version>`. */
  name: string;
  version: string;
  /** A `.tar.gz` (or plain `.tar`) archive. */
  url: string;
  digest: Digest;
  /** Where the digest comes from (publisher file, or an independent record), for the README. */
  digestSource?: string;
  /** Why no digest could be pinned; provisioning refuses and says this (the user supplies the tool). */
  noDigest?: string;
  /** Leading path components to drop, e.g. 1 for a tarball with one top folder. */
  stripComponents?: number;
}

/** A download or archive the harness refuses: wrong checksum, unsafe entry, damaged file. */
export class ProvisionError extends Error {
  override name = 'ProvisionError';
}
