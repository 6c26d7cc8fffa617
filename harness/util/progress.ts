// Progress on long work: a live bar on a terminal (cli-progress), and on CI
// (no TTY) a plain line at most every few seconds, so logs stay readable.
import cliProgress from 'cli-progress';

/** A progress line on stderr (nothing when quiet or not a terminal). */
export interface Progress {
  /** Advance to `done` of `total`, with a short note of what is happening. */
  update(done: number, note?: string): void;
  setTotal(total: number): void;
  stop(finalNote?: string): void;
}

/** Starts a progress line of `total` steps. */
export function startProgress(label: string, total: number, opts: { quiet?: boolean } = {}): Progress {
  if (opts.quiet) return { update() {}, setTotal() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {note}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { note: '' });
    return {
      update: (done, note = '') => bar.update(done, { note: note.slice(0, 50) }),
      setTotal: (t) => bar.setTotal(t),
      stop: (finalNote) => {
        bar.stop();
        if (finalNote) process.stderr.write(`${label}: ${finalNote}\n`);
      },
    };
  }
  let last = 0;
  let currentTotal = total;
  return {
    update(done, note) {
      const t = Date.now();
      if (t - last < 5000 && done < currentTotal) return;
      last = t;
      process.stderr.write(`${label}: ${done}/${currentTotal}${note ? ` ${note}` : ''}\n`);
    },
    setTotal: (t) => {
      currentTotal = t;
    },
    stop: (finalNote) => {
      if (finalNote) process.stderr.write(`${label}: ${finalNote}\n`);
    },
  };
}
