export { type Digest, type PinnedArchive, ProvisionError } from './pinned.js';
export { downloadVerified } from './download.js';
export { checkArchive, entryProblem, extractSafely } from './extract.js';
export { isProvisioned, provisionArchive, type Provisioned, toolchainDir } from './provision.js';
