// When will the region's manual-snapshot quota be full? At the quota, CreateDBSnapshot fails with
// SnapshotQuotaExceeded and backups stop, so the warning has to come days ahead.
//
// The count is a sawtooth (snapshots arrive through the day, pruning removes some once a day), so
// the growth rate is the slope of a least-squares line through the recent samples, not the last
// two samples, which would swing between "filling fast" and "shrinking" depending on the hour.

export interface QuotaSample {
  /** ISO time of the count. */
  at: string;
  /** Manual snapshots in the region at that time (all of them count against the quota). */
  count: number;
}

export interface QuotaForecast {
  /** Latest count as a share of the quota, one decimal. */
  usedPercent: number;
  /** Whole days left at the recent growth rate (rounded down: warn early); absent when not growing. */
  daysUntilFull?: number;
  /** When the quota is full at that rate; absent when not growing. */
  fullAt?: string;
}

export interface ForecastOptions {
  /** Only samples this recent count for the growth rate (default 14 days). */
  windowDays?: number;
}

const DAY_MS = 86_400_000;

/** Growth in snapshots per day: the least-squares slope, or undefined with under two distinct times. */
export function growthPerDay(samples: readonly { ms: number; count: number }[]): number | undefined {
  if (samples.length < 2) return undefined;
  const n = samples.length;
  // Centre the times first: epoch milliseconds squared would lose precision in doubles.
  const meanT = samples.reduce((sum, s) => sum + s.ms, 0) / n;
  const meanC = samples.reduce((sum, s) => sum + s.count, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const s of samples) {
    const dt = (s.ms - meanT) / DAY_MS;
    sxy += dt * (s.count - meanC);
    sxx += dt * dt;
  }
  return sxx > 0 ? sxy / sxx : undefined;
}

export function forecastQuota(history: readonly QuotaSample[], quota: number, now: Date, options: ForecastOptions = {}): QuotaForecast {
  const nowMs = now.getTime();
  const windowMs = (options.windowDays ?? 14) * DAY_MS;
  // Samples after `now` are clock skew or test data; they must not bend the line.
  const known = history
    .map((h) => ({ ms: Date.parse(h.at), count: h.count }))
    .filter((h) => !Number.isNaN(h.ms) && Number.isFinite(h.count) && h.ms <= nowMs)
    .sort((a, b) => a.ms - b.ms);
  if (!known.length) return { usedPercent: 0 };
  const { ms: latestMs, count: latest } = known[known.length - 1];
  if (!(quota > 0)) return { usedPercent: 100, daysUntilFull: 0, fullAt: now.toISOString() };
  const usedPercent = Math.round((latest / quota) * 1000) / 10;
  if (latest >= quota) return { usedPercent, daysUntilFull: 0, fullAt: now.toISOString() };

  const rate = growthPerDay(known.filter((h) => nowMs - h.ms <= windowMs));
  // A rate under one snapshot a year is noise from rounding, not growth.
  if (rate === undefined || rate <= 1 / 365) return { usedPercent };
  // Projected from the latest sample, which may be older than `now`.
  const fullAtMs = Math.max(nowMs, latestMs + ((quota - latest) / rate) * DAY_MS);
  return { usedPercent, daysUntilFull: Math.floor((fullAtMs - nowMs) / DAY_MS), fullAt: new Date(fullAtMs).toISOString() };
}
