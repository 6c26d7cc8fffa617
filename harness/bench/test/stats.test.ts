// The statistics against reference values computed independently with
// SciPy 1.17.1 / NumPy 2.4.6 (Python 3.11), e.g.
//   r = scipy.stats.ttest_ind(a, b, equal_var=False); r.df; r.confidence_interval(0.99)
// and on np.log(...) of the values for the ratios. The exact calls are next
// to each number.
import { describe, expect, it } from 'vitest';
import { readRatio } from '../../report/ratio.js';
import { geometricMeanInterval, ratioInterval, seededRandom, shuffle, summarize, tCritical, welchInterval } from '../stats.js';

const close = (actual: number, expected: number, digits = 9) => expect(actual).toBeCloseTo(expected, digits);

describe('summaries', () => {
  it('median, mean, sample stddev, MAD and IQR match numpy/scipy', () => {
    const x = [3.1, 4.7, 2.2, 9.8, 5.5, 4.1, 3.9, 6.0];
    const s = summarize(x);
    close(s.median, 4.4); // np.median(x)
    close(s.mean, 4.9125); // np.mean(x)
    close(s.stddev, 2.323444179906816); // np.std(x, ddof=1)
    close(s.mad, 1.2); // scipy.stats.median_abs_deviation(x)
    close(s.iqr, 1.9250000000000003); // scipy.stats.iqr(x) (linear interpolation)
    expect(s).toMatchObject({ n: 8, min: 2.2, max: 9.8 });
  });

  it('a single value has no spread', () => {
    expect(summarize([7])).toMatchObject({ n: 1, median: 7, mean: 7, stddev: 0, mad: 0, iqr: 0 });
  });
});

describe('t quantiles', () => {
  it('match scipy.stats.t.ppf, also for fractional degrees of freedom', () => {
    close(tCritical(3.7, 0.99), 4.8692522532278275, 7); // t.ppf(0.995, 3.7)
    close(tCritical(2, 0.99), 9.924843200918287, 7); // t.ppf(0.995, 2)
    close(tCritical(10, 0.95), 2.228138851986274, 7); // t.ppf(0.975, 10)
  });
});

describe("Welch's interval", () => {
  const a = [19.1, 21.4, 20.7, 22.3, 18.9];
  const b = [24.8, 23.1, 26.0, 25.2];

  it('has the Welch–Satterthwaite df and the interval scipy gives at 99% and 95%', () => {
    const w99 = welchInterval(a, b, 0.99);
    close(w99.difference, -4.295000000000002); // np.mean(a) - np.mean(b)
    close(w99.df, 6.962447890561613); // ttest_ind(a, b, equal_var=False).df
    close(w99.low, -7.439322619031405, 7); // .confidence_interval(0.99).low
    close(w99.high, -1.1506773809685993, 7); // .confidence_interval(0.99).high
    const w95 = welchInterval(a, b, 0.95);
    close(w95.low, -6.418058472902283, 7); // .confidence_interval(0.95)
    close(w95.high, -2.171941527097721, 7);
  });

  it('collapses to the difference when neither side varies', () => {
    const w = welchInterval([2, 2, 2], [1, 1]);
    expect(w).toMatchObject({ difference: 1, low: 1, high: 1, standardError: 0, df: 3 });
  });

  it('needs two values per side', () => {
    expect(() => welchInterval([1], [1, 2])).toThrow(/at least 2/);
  });
});

describe('ratio intervals (Welch on log per-process means)', () => {
  it('a clear halving is significant, with the interval scipy gives on the logs', () => {
    const candidate = [10.2, 9.8, 10.5, 10.1];
    const reference = [20.3, 21.0, 19.6, 20.8, 20.1];
    const r = ratioInterval(candidate, reference, 0.99)!;
    close(r.ratio, 0.49852629555586786); // exp(mean(log c) - mean(log d))
    close(r.low, 0.4658588195295622, 7); // exp(ttest_ind(log c, log d, equal_var=False).confidence_interval(0.99))
    close(r.high, 0.5334845170724207, 7);
    close(r.df, 6.461330770625707);
    expect(r.significant).toBe(true);
    expect(readRatio(r)).toBe('2.01× faster');
  });

  it('noise around 1 is not significant', () => {
    const r = ratioInterval([10.0, 10.9, 9.4, 11.2], [10.3, 9.9, 10.8], 0.99)!;
    close(r.ratio, 1.0022537778972456);
    close(r.low, 0.8230654974469884, 7);
    close(r.high, 1.2204528539042536, 7);
    close(r.df, 4.724214547270055);
    expect(r.significant).toBe(false);
    expect(readRatio(r)).toBe('no significant difference');
  });

  it('B/A is exactly the reciprocal of A/B', () => {
    const a = [3.1, 3.3, 2.9, 3.0];
    const b = [4.0, 4.4, 4.1];
    const ab = ratioInterval(a, b)!;
    const ba = ratioInterval(b, a)!;
    close(ab.ratio * ba.ratio, 1, 12);
    close(ab.low * ba.high, 1, 12);
    close(ab.high * ba.low, 1, 12);
  });

  it('gives no interval with under two processes or a non-positive time', () => {
    expect(ratioInterval([1], [1, 2])).toBeUndefined();
    expect(ratioInterval([0, 1], [1, 2])).toBeUndefined();
  });

  it('the geometric-mean interval of one cell matches a one-sample t interval on the logs', () => {
    const g = geometricMeanInterval([12.0, 12.6, 11.7, 12.3, 12.9], 0.99)!;
    close(g.geometricMean, 12.292677696195051); // scipy.stats.gmean
    close(g.low, 11.353627878840369, 7); // exp(ttest_1samp(log g, 0).confidence_interval(0.99))
    close(g.high, 13.30939560069193, 7);
  });
});

describe('the shuffled order', () => {
  it('is the same for the same seed and a permutation', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const one = shuffle(items, seededRandom(42));
    expect(shuffle(items, seededRandom(42))).toEqual(one);
    expect(shuffle(items, seededRandom(43))).not.toEqual(one);
    expect([...one].sort((a, b) => a - b)).toEqual(items);
  });
});
