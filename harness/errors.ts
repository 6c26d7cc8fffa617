// The two kinds of failure the CLI tells apart by exit code.

/** Bad usage or bad input (unknown names, files that break their schema): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A missing prerequisite the user can fix with a command we can name: exit 2. */
export class NotBuiltError extends UsageError {
  override name = 'NotBuiltError';
}
