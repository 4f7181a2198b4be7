import { expect } from 'chai';
import { byDays, localTime, nextStart, wallClockOf } from '../../../runner/modules/datadog/schedule.js';

const CPH = 'Europe/Copenhagen';
const NIGHTS = 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR';
const WEEKEND = 'FREQ=WEEKLY;INTERVAL=1;BYDAY=SA,SU';
const at = (iso: string): Date => new Date(iso);

describe('downtime start computation', () => {
  it('matches the reference examples (weekday nights from a Saturday, weekend from a Wednesday)', () => {
    expect(nextStart(at('2026-09-05T10:00:00Z'), CPH, NIGHTS, '19:00')).to.equal('2026-09-07T19:00');
    expect(nextStart(at('2026-09-02T10:00:00Z'), CPH, WEEKEND, '00:00')).to.equal('2026-09-05T00:00');
  });

  it('uses today when the wall-clock time is still ahead, tomorrow when it has passed or is now', () => {
    expect(nextStart(at('2026-09-07T16:59:00Z'), CPH, NIGHTS, '19:00')).to.equal('2026-09-07T19:00'); // 18:59 CEST
    expect(nextStart(at('2026-09-07T17:00:00Z'), CPH, NIGHTS, '19:00')).to.equal('2026-09-08T19:00'); // 19:00 CEST exactly
  });

  it('crosses the week boundary: Friday evening → Monday; Saturday → Sunday for the weekend rule', () => {
    expect(nextStart(at('2026-09-11T18:00:00Z'), CPH, NIGHTS, '19:00')).to.equal('2026-09-14T19:00');
    expect(nextStart(at('2026-09-05T10:00:00Z'), CPH, WEEKEND, '00:00')).to.equal('2026-09-06T00:00');
  });

  it('reads the local date, not the UTC one (Sunday 22:30 UTC is already Monday in Copenhagen)', () => {
    expect(nextStart(at('2026-09-06T22:30:00Z'), CPH, WEEKEND, '00:00')).to.equal('2026-09-12T00:00');
    expect(nextStart(at('2026-09-06T22:30:00Z'), CPH, NIGHTS, '19:00')).to.equal('2026-09-07T19:00');
  });

  it('applies summer time: Monday 17:30 UTC after the spring change is 19:30 CEST, too late for today', () => {
    expect(nextStart(at('2026-03-30T17:30:00Z'), CPH, NIGHTS, '19:00')).to.equal('2026-03-31T19:00');
  });

  it('applies winter time: Monday 17:30 UTC after the autumn change is 18:30 CET, still today', () => {
    expect(nextStart(at('2026-10-26T17:30:00Z'), CPH, NIGHTS, '19:00')).to.equal('2026-10-26T19:00');
  });

  it('keeps the wall clock across a DST weekend (Friday night before the change → Monday 19:00)', () => {
    expect(nextStart(at('2026-03-27T18:30:00Z'), CPH, NIGHTS, '19:00')).to.equal('2026-03-30T19:00');
    expect(nextStart(at('2026-10-25T00:30:00Z'), CPH, WEEKEND, '00:00')).to.equal('2026-10-31T00:00');
  });

  it('crosses the year boundary', () => {
    expect(nextStart(at('2026-12-31T19:30:00Z'), CPH, NIGHTS, '19:00')).to.equal('2027-01-01T19:00');
  });

  it('treats a rule without BYDAY as every day, and works in other zones', () => {
    expect(nextStart(at('2026-09-05T10:00:00Z'), 'UTC', 'FREQ=DAILY', '03:00')).to.equal('2026-09-06T03:00');
    expect(nextStart(at('2026-09-08T02:00:00Z'), 'America/New_York', NIGHTS, '19:00')).to.equal('2026-09-08T19:00');
  });

  it('rejects a bad start_time and an unknown timezone', () => {
    expect(() => nextStart(at('2026-09-05T10:00:00Z'), CPH, NIGHTS, '7pm')).to.throw('start_time must be "HH:MM"');
    expect(() => nextStart(at('2026-09-05T10:00:00Z'), 'Mars/Olympus', NIGHTS, '19:00')).to.throw(RangeError);
  });

  it('parses BYDAY, local time and wall clock of a stored start', () => {
    expect(byDays(NIGHTS)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(byDays('FREQ=MONTHLY;BYDAY=1SA')).to.deep.equal([6]);
    expect(localTime(at('2026-10-25T01:30:00Z'), CPH)).to.deep.equal({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 });
    expect(wallClockOf('2026-09-07T19:00')).to.equal('19:00');
    expect(wallClockOf('2026-09-07T19:00:00')).to.equal('19:00');
  });
});
