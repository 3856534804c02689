// Calendar periods (day, ISO week, month, year) of an instant in an IANA time zone, fast enough to
// bucket 100,000 snapshots. Intl is the only DST-correct source of local dates without a library,
// but one format() call costs microseconds, so: one formatter per zone, and results memoized per
// 15 minutes of UTC. Every zone's offset (and so every local midnight, in UTC) is a multiple of 15
// minutes since 1972, when Africa/Monrovia left -0:44:30 (today's oddest: Asia/Kathmandu +5:45,
// Australia/Eucla +8:45, Pacific/Chatham +12:45), so a period boundary almost always falls on a
// slot's start and the slot's start speaks for the whole slot; the rare slot with a transition
// inside it (a clock change at 00:01 local) is detected and computed exactly.

export interface Periods {
  day: string; // 2026-11-21
  week: string; // 2026-W47 (ISO week, Monday first; the ISO year may differ from the calendar year)
  month: string; // 2026-11
  year: string; // 2026
}

export type PeriodKind = keyof Periods;

const QUARTER_HOUR = 900_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const memo = new Map<string, Map<number, Periods>>();

function localDate(ms: number, timeZone: string): [number, number, number] {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for an unknown zone: better than silently bucketing in UTC.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  const [y, m, d] = f.format(ms).split('-').map(Number); // en-CA formats as YYYY-MM-DD
  return [y, m, d];
}

/** ISO 8601 week of a calendar date: the week's Thursday decides its (ISO) year. */
function isoWeek(y: number, m: number, d: number): string {
  const t = new Date(Date.UTC(y, m - 1, d));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow);
  const isoYear = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${isoYear}-W${String(week).padStart(2, '0')}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local day, ISO week, month and year of the instant `ms` in `timeZone`. */
export function periodsOf(ms: number, timeZone: string): Periods {
  let zone = memo.get(timeZone);
  if (!zone) {
    zone = new Map();
    memo.set(timeZone, zone);
  }
  const slot = Math.floor(ms / QUARTER_HOUR);
  let p = zone.get(slot);
  if (p === undefined) {
    const start = localDate(slot * QUARTER_HOUR, timeZone);
    const end = localDate((slot + 1) * QUARTER_HOUR - 1, timeZone);
    // A slot whose start and end fall on different local dates holds a transition off the quarter
    // hour (Newfoundland changed clocks at 00:01 local until 2011): such slots are never memoized.
    p = start.join('-') === end.join('-') ? periodsOfDate(start) : MIXED_SLOT;
    zone.set(slot, p);
  }
  return p === MIXED_SLOT ? periodsOfDate(localDate(ms, timeZone)) : p;
}

const MIXED_SLOT: Periods = { day: '', week: '', month: '', year: '' };

function periodsOfDate([y, m, d]: [number, number, number]): Periods {
  return { day: `${y}-${pad(m)}-${pad(d)}`, week: isoWeek(y, m, d), month: `${y}-${pad(m)}`, year: String(y) };
}

/** Forgets memoized periods (formatters stay): for benchmarks of the cold path, and long-lived processes. */
export function clearPeriodMemo(): void {
  memo.clear();
}
