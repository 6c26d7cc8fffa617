// Benchmark statistics: summaries of a phase (median, mean, spread) and
// ratios of two cells with a Welch confidence interval.
//
// The unit of a comparison is one worker process, not one iteration.
// Iterations inside a process share its fate (code and heap layout, ASLR,
// which core it ran on, a neighbour's burst of load), so they are not
// independent; treating thousands of them as independent would give
// intervals that are far too narrow and call every difference significant.
// So each process contributes one number per phase and the interval is a
// Welch t interval over those, with the Welch–Satterthwaite degrees of
// freedom. For the steady state that number is the median of the process's
// per-call samples, not their mean: on a shared two-core machine a process
// is now and then preempted for a whole sample, and with the few samples a
// heavy call affords, one such sample moves the mean (measured here: 149 ms
// mean against a 72 ms median in one process of a cell whose other processes
// took 36-55 ms) while the median stays put. The once-per-process phases
// (compile ... first call) have one value per process already.
//
// Ratios: we use the log-transformed per-process values, not a delta-method
// interval. Timings are positive, right-skewed and vary multiplicatively
// (a slower machine phase scales every call), which the log makes additive
// and closer to normal; the interval of mean(log A) - mean(log B) then
// exponentiates to an interval of the ratio that is exact under log-normal
// per-process values, never contains a negative value, and is consistent
// under inversion (the interval of B/A is exactly the reciprocal of the
// interval of A/B). The delta method is a first-order approximation that
// breaks down when the denominator's spread is large relative to its mean
// (as it is with 3-5 processes on a busy machine) and gives asymmetric
// answers for A/B and B/A. The point estimate is therefore a ratio of
// geometric means (over processes) of the per-process values.
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import {
  interquartileRange,
  max as ssMax,
  mean as ssMean,
  min as ssMin,
  median as ssMedian,
  medianAbsoluteDeviation,
  sampleStandardDeviation,
  sampleVariance,
} from 'simple-statistics';

/** The confidence of every interval (99%). */
export const DEFAULT_CONFIDENCE = 0.99;

/** Summary statistics of a sample. */
export interface Summary {
  n: number;
  median: number;
  mean: number;
  /** Sample standard deviation (n - 1); 0 for a single value. */
  stddev: number;
  /** Median absolute deviation from the median, unscaled. */
  mad: number;
  /** Interquartile range, quantiles by linear interpolation (numpy's default, R type 7). */
  iqr: number;
  min: number;
  max: number;
}

/** The median of a sample. */
export function median(xs: readonly number[]): number {
  if (!xs.length) throw new Error('median of no values');
  return ssMedian([...xs]);
}

/** The mean of a sample. */
export function mean(xs: readonly number[]): number {
  if (!xs.length) throw new Error('mean of no values');
  return ssMean([...xs]);
}

/** Summary statistics of a sample. */
export function summarize(xs: readonly number[]): Summary {
  if (!xs.length) throw new Error('summary of no values');
  const values = [...xs];
  return {
    n: values.length,
    median: ssMedian(values),
    mean: ssMean(values),
    stddev: values.length > 1 ? sampleStandardDeviation(values) : 0,
    mad: medianAbsoluteDeviation(values),
    iqr: interquartileRange(values),
    min: ssMin(values),
    max: ssMax(values),
  };
}

/** The two-sided critical value of Student's t: P(|T| <= t) = confidence. */
export function tCritical(df: number, confidence = DEFAULT_CONFIDENCE): number {
  if (!(df > 0)) throw new Error(`degrees of freedom must be positive, got ${df}`);
  return tQuantile(1 - (1 - confidence) / 2, df);
}

/** A Welch confidence interval for a difference of means. */
export interface WelchInterval {
  /** mean(a) - mean(b). */
  difference: number;
  standardError: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  t: number;
  low: number;
  high: number;
  confidence: number;
}

/**
 * Welch's interval for mean(a) - mean(b), unequal variances. Needs at least
 * two values on each side. When both sides have no spread at all the
 * interval collapses to the difference (df = na + nb - 2).
 */
export function welchInterval(a: readonly number[], b: readonly number[], confidence = DEFAULT_CONFIDENCE): WelchInterval {
  if (a.length < 2 || b.length < 2) throw new Error(`Welch's interval needs at least 2 values per side (got ${a.length} and ${b.length})`);
  const va = sampleVariance([...a]) / a.length;
  const vb = sampleVariance([...b]) / b.length;
  const difference = ssMean([...a]) - ssMean([...b]);
  const se = Math.sqrt(va + vb);
  if (se === 0) return { difference, standardError: 0, df: a.length + b.length - 2, t: 0, low: difference, high: difference, confidence };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const t = tCritical(df, confidence);
  return { difference, standardError: se, df, t, low: difference - t * se, high: difference + t * se, confidence };
}

/** A ratio of geometric means with its interval and whether it excludes 1. */
export interface RatioInterval {
  /** Ratio of geometric means of the per-process values, candidate / reference. */
  ratio: number;
  low: number;
  high: number;
  df: number;
  confidence: number;
  /** The interval excludes 1. */
  significant: boolean;
  nCandidate: number;
  nReference: number;
}

/**
 * candidate / reference with a Welch interval on the log scale (see the top
 * of this file for why). Undefined when a side has under two values or a
 * value that is not positive.
 */
export function ratioInterval(candidate: readonly number[], reference: readonly number[], confidence = DEFAULT_CONFIDENCE): RatioInterval | undefined {
  if (candidate.length < 2 || reference.length < 2) return undefined;
  if (![...candidate, ...reference].every((x) => Number.isFinite(x) && x > 0)) return undefined;
  const w = welchInterval(candidate.map(Math.log), reference.map(Math.log), confidence);
  const low = Math.exp(w.low);
  const high = Math.exp(w.high);
  return {
    ratio: Math.exp(w.difference),
    low,
    high,
    df: w.df,
    confidence,
    significant: low > 1 || high < 1,
    nCandidate: candidate.length,
    nReference: reference.length,
  };
}

/**
 * A one-sample t interval of the geometric mean of positive values (the
 * per-process means of one cell); undefined for fewer than two.
 */
export function geometricMeanInterval(xs: readonly number[], confidence = DEFAULT_CONFIDENCE): { geometricMean: number; low: number; high: number; df: number } | undefined {
  if (xs.length < 2 || !xs.every((x) => Number.isFinite(x) && x > 0)) return undefined;
  const logs = xs.map(Math.log);
  const m = ssMean(logs);
  const se = Math.sqrt(sampleVariance(logs) / logs.length);
  const df = logs.length - 1;
  const t = tCritical(df, confidence);
  return { geometricMean: Math.exp(m), low: Math.exp(m - t * se), high: Math.exp(m + t * se), df };
}


export { seededRandom } from '../util/random.js';

/** Fisher–Yates with the given random source; returns a new array. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
