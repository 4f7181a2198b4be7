// Pure: the occurrences of a recurring downtime as Datadog schedules them: `start` is a local
// wall-clock time in the schedule's IANA timezone, the rrule picks the days, and each occurrence
// lasts `duration` of elapsed time. Used to prove which minutes the downtimes mute.
import { localTime, type LocalDateTime } from './schedule.js';

const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

export interface Rule {
  freq: 'DAILY' | 'WEEKLY';
  interval: number;
  byDay: number[]; // 0 = Sunday
}

/** The subset of RFC 5545 the roles use (FREQ=DAILY|WEEKLY, INTERVAL, BYDAY); throws otherwise. */
export function parseRule(rrule: string): Rule {
  const parts = new Map(rrule.split(';').filter(Boolean).map((p) => p.split('=') as [string, string]));
  const freq = parts.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY') throw new Error(`unsupported FREQ in ${rrule}`);
  const interval = Number(parts.get('INTERVAL') ?? 1);
  const byDay = parts.has('BYDAY') ? parts.get('BYDAY')!.split(',').map((d) => DAYS.indexOf(d)) : [0, 1, 2, 3, 4, 5, 6];
  if (byDay.some((d) => d < 0) || !(interval >= 1)) throw new Error(`bad rule ${rrule}`);
  for (const k of parts.keys()) if (!['FREQ', 'INTERVAL', 'BYDAY'].includes(k)) throw new Error(`unsupported ${k} in ${rrule}`);
  return { freq, interval, byDay };
}

export function durationMs(d: string): number {
  const m = /^(\d+)([mhdw])$/.exec(d);
  if (!m) throw new Error(`bad duration ${d}`);
  return Number(m[1]) * { m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 }[m[2] as 'm' | 'h' | 'd' | 'w'];
}

/** The instant of a local wall-clock time in a zone (a time skipped by DST moves forward). */
export function zonedToUtc(t: LocalDateTime, timeZone: string): number {
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const seen = localTime(new Date(guess), timeZone);
    const seenWall = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
    if (seenWall === wall) return guess;
    guess += wall - seenWall;
  }
  return guess;
}

export interface Occurrence {
  begin: number;
  end: number;
}

/** Occurrences beginning before `until` (ms), from a start "YYYY-MM-DDTHH:MM" in `timeZone`. */
export function occurrences(start: string, rrule: string, duration: string, timeZone: string, until: number): Occurrence[] {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)$/.exec(start);
  if (!m) throw new Error(`bad start ${start}`);
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const rule = parseRule(rrule);
  const len = durationMs(duration);
  const out: Occurrence[] = [];
  const day0 = Date.UTC(y, mo - 1, d);
  for (let i = 0; ; i++) {
    const day = new Date(day0 + i * 86400e3);
    const local = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour: h, minute: mi };
    const begin = zonedToUtc(local, timeZone);
    if (begin >= until) break;
    const period = rule.freq === 'DAILY' ? i : Math.floor((i + ((new Date(day0).getUTCDay() + 6) % 7)) / 7);
    if (period % rule.interval !== 0) continue;
    if (rule.freq === 'WEEKLY' && !rule.byDay.includes(day.getUTCDay())) continue;
    out.push({ begin, end: begin + len });
  }
  return out;
}
