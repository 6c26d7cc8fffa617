// The model stage: cell, key, status, observation, verdict and exit code.
// Imported by every stage that needs them; imports no other stage.
export * from './status.js';
export * from './observation.js';
export * from './cell.js';
export * from './judge.js';
export * from './verdict.js';
