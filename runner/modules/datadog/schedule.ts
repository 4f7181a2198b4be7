// Pure: the `start` of a recurring downtime, i.e. the next local date matching the rrule's
// BYDAY at a wall-clock time, in an IANA timezone. Datadog reads `start` without offset.

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

export interface LocalDateTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
}

/** Wall-clock time of an instant in a timezone. Throws RangeError on an unknown zone. */
const formats = new Map<string, Intl.DateTimeFormat>();

export function localTime(now: Date, timeZone: string): LocalDateTime {
  let f = formats.get(timeZone);
  if (!f) {
    f = makeFormat(timeZone);
    formats.set(timeZone, f);
  }
  const parts = f.formatToParts(now);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute') };
}

function makeFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** BYDAY of an RFC 5545 rule as day indexes (0 = Sunday); all days when absent. */
export function byDays(rrule: string): number[] {
  const m = /(?:^|;)BYDAY=([^;]+)/i.exec(rrule);
  if (!m) return [0, 1, 2, 3, 4, 5, 6];
  return m[1]
    .split(',')
    .map((d) => DAYS.indexOf(d.trim().slice(-2).toUpperCase() as (typeof DAYS)[number]))
    .filter((i) => i >= 0);
}

export function parseHHMM(s: string): { hour: number; minute: number } | undefined {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function formatLocal(t: LocalDateTime): string {
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}`;
}

/**
 * The first local date-time strictly after `now` (as seen in `timeZone`) whose weekday is in
 * the rrule's BYDAY and whose wall-clock time is `startTime` ("HH:MM"). Calendar arithmetic is
 * done on local dates, so DST changes between now and the start do not shift the wall clock.
 */
export function nextStart(now: Date, timeZone: string, rrule: string, startTime: string): string {
  const hm = parseHHMM(startTime);
  if (!hm) throw new Error(`start_time must be "HH:MM", got ${JSON.stringify(startTime)}`);
  const days = byDays(rrule);
  if (days.length === 0) throw new Error(`rrule has no usable BYDAY: ${rrule}`);
  const today = localTime(now, timeZone);
  const nowKey = formatLocal(today);
  for (let offset = 0; offset <= 7; offset++) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    if (!days.includes(d.getUTCDay())) continue;
    const candidate = formatLocal({
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: hm.hour,
      minute: hm.minute,
    });
    if (candidate > nowKey) return candidate;
  }
  throw new Error(`no start found for ${rrule}`); // unreachable: 8 days cover every weekday
}

/** "HH:MM" of a start like "2026-09-07T19:00" or "2026-09-07T19:00:00"; the input otherwise. */
export function wallClockOf(start: string): string {
  const m = /T(\d\d:\d\d)/.exec(start);
  return m ? m[1] : start;
}
