// The two downtimes of roles/datadog-api-objects, walked minute by minute over two weeks in the
// schedule's timezone: muted every weeknight 19:00-09:00 (Monday 00:00-09:00 included) and the whole
// weekend, open Monday to Friday 09:00-19:00 — also across DST changes.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { nextStart, localTime } from '../../../runner/modules/datadog/schedule.js';
import { occurrences, type Occurrence } from '../../../runner/modules/datadog/occurrences.js';

const ROLE = join(import.meta.dirname, '..', '..', '..', 'roles', 'datadog-api-objects');
interface Rec { rrule: string; duration: string; start_time: string }
const tasks = parse(readFileSync(join(ROLE, 'tasks', 'main.yml'), 'utf8')) as { name: string; datadog_downtime?: { recurrence: Rec; timezone: string } }[];
const defaults = parse(readFileSync(join(ROLE, 'defaults', 'main.yml'), 'utf8')) as { dd_downtime_timezone: string };
const recurrences = tasks.filter((t) => t.datadog_downtime).map((t) => t.datadog_downtime!.recurrence);

function expectedMuted(t: number, tz: string): boolean {
  const l = localTime(new Date(t), tz);
  const dow = new Date(Date.UTC(l.year, l.month - 1, l.day)).getUTCDay();
  const minutes = l.hour * 60 + l.minute;
  const weekday = dow >= 1 && dow <= 5;
  return !(weekday && minutes >= 9 * 60 && minutes < 19 * 60);
}

function walk(tz: string, createdAt: string): { checked: number; wrong: string[] } {
  const now = new Date(createdAt);
  const from = now.getTime() + 8 * 86400e3; // every series has started by then
  const until = from + 14 * 86400e3;
  const occ: Occurrence[] = recurrences.flatMap((r) => occurrences(nextStart(now, tz, r.rrule, r.start_time), r.rrule, r.duration, tz, until));
  const wrong: string[] = [];
  let checked = 0;
  for (let t = from - (from % 60e3); t < until; t += 60e3) {
    const muted = occ.some((o) => o.begin <= t && t < o.end);
    if (muted !== expectedMuted(t, tz)) {
      const l = localTime(new Date(t), tz);
      if (wrong.length < 5) wrong.push(`${l.year}-${l.month}-${l.day} ${l.hour}:${String(l.minute).padStart(2, '0')} ${tz}: muted=${muted}`);
    }
    checked++;
  }
  return { checked, wrong };
}

describe('downtime coverage (the role\'s two recurring downtimes)', () => {
  it('the role defines the weeknight and the weekend downtimes', () => {
    expect(recurrences).to.have.length(2);
    expect(tasks.filter((t) => t.datadog_downtime).every((t) => t.datadog_downtime!.timezone === '{{dd_downtime_timezone}}')).to.equal(true);
  });

  for (const [tz, createdAt, what] of [
    [defaults.dd_downtime_timezone, '2026-12-02T10:00:00Z', 'an ordinary fortnight'],
    [defaults.dd_downtime_timezone, '2027-03-17T10:00:00Z', 'the spring DST change (Sunday 28 March)'],
    [defaults.dd_downtime_timezone, '2027-10-27T22:30:00Z', 'the autumn DST change (Sunday 31 October 2027, created late Wednesday)'],
    ['America/New_York', '2027-03-06T18:00:00Z', 'US DST (Sunday 14 March), created on a Saturday'],
    ['Asia/Tokyo', '2026-12-06T23:00:00Z', 'a zone ahead of UTC, created on a Monday morning'],
  ] as const) {
    it(`mutes exactly weeknights 19:00-09:00 and weekends, minute by minute: ${tz}, ${what}`, () => {
      const r = walk(tz, createdAt);
      expect(r.checked).to.equal(14 * 24 * 60);
      expect(r.wrong, r.wrong.join('\n')).to.deep.equal([]);
    });
  }

  it('a Monday-to-Friday evening rule alone would leave Monday 00:00-09:00 open (the old bug)', () => {
    const tz = 'Europe/Copenhagen';
    const now = new Date('2026-12-02T10:00:00Z');
    const from = now.getTime() + 8 * 86400e3;
    const until = from + 14 * 86400e3;
    const occ = [
      ...occurrences(nextStart(now, tz, 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR', '19:00'), 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR', '14h', tz, until),
      ...occurrences(nextStart(now, tz, 'FREQ=WEEKLY;INTERVAL=1;BYDAY=SA,SU', '00:00'), 'FREQ=WEEKLY;INTERVAL=1;BYDAY=SA,SU', '24h', tz, until),
    ];
    const monday8 = Date.UTC(2026, 11, 14, 7, 0); // Monday 14 Dec 08:00 in Copenhagen (UTC+1)
    expect(occ.some((o) => o.begin <= monday8 && monday8 < o.end)).to.equal(false);
  });
});
