// Runs `wasm-matrix bench` as a process, through the real binary.
import { cli } from '../../cli/test/cli.js';

export const benchCli = (args: string[], opts: { timeout?: number; env?: Record<string, string> } = {}) => cli(['bench', ...args], opts);
