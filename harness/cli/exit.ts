// Exit codes, as DESIGN.md fixes them: 0 nothing wrong, 1 mismatch or
// regression or crash, 2 bad usage or input.
/** Nothing wrong. */
export const EXIT_OK = 0;
/** A mismatch, a regression, a crash, a failed build, a no-go or an incomplete report. */
export const EXIT_FAILED = 1;
/** Bad usage or bad input (the message names the file and field). */
export const EXIT_USAGE = 2;
