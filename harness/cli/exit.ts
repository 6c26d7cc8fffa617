// Exit codes, as DESIGN.md fixes them: 0 nothing wrong, 1 mismatch or
// regression or crash, 2 bad usage or input.
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
