// The plan summary and exit codes of a --check run, pure.
import { expect } from 'chai';
import { planLines, planSummary } from '../../../runner/execute/plan-summary.js';
import { newTally } from '../../../runner/execute/context.js';
import { EXIT, exitCodeFor } from '../../../runner/exit-codes.js';
import { outcomeDetail, outcomeWord, recapLines } from '../../../runner/report/format.js';

describe('plan summary (--check)', () => {
  const tallies = () => ({
    h1: { ...newTally(), changed: 3, ok: 5, doneBefore: 2, unknown: 1 },
    h2: { ...newTally(), ok: 9 },
  });

  it('counts would change, ok (done before included), unknown and would fail, per host and in total', () => {
    const p = planSummary(tallies());
    expect(p.hosts.h1).to.deep.equal({ change: 3, ok: 7, unknown: 1, fail: 0, skipped: 0, unreachable: 0 });
    expect(p.total).to.deep.equal({ change: 3, ok: 16, unknown: 1, fail: 0, skipped: 0, unreachable: 0 });
    expect(planLines(p)).to.deep.equal([
      'h1    : 3 would change, 7 ok, 1 unknown, 0 would fail',
      'h2    : 0 would change, 9 ok, 0 unknown, 0 would fail',
      'total : 3 would change, 16 ok, 1 unknown, 0 would fail',
    ]);
  });

  it('exits 0 when nothing would fail; with --detailed-exitcode, 7 when changes or unknowns are pending', () => {
    expect(exitCodeFor(tallies(), false)).to.equal(EXIT.ok);
    expect(exitCodeFor(tallies(), false, true)).to.equal(EXIT.changesPending);
    expect(exitCodeFor({ h2: tallies().h2 }, false, true)).to.equal(EXIT.ok);
    expect(exitCodeFor({ h: { ...newTally(), unknown: 1 } }, false, true)).to.equal(7);
    expect(exitCodeFor({ h: { ...newTally(), changed: 1, failed: 1 } }, false, true)).to.equal(EXIT.hostFailed);
  });

  it('the recap shows an unknown column only when a host has unknowns; reporters name the outcome', () => {
    expect(recapLines({ h2: tallies().h2 })[0]).not.to.include('unknown=');
    expect(recapLines(tallies())[1]).to.match(/h2 +: ok=9 +changed=0 +unknown=0 /);
    const o = { status: 'unknown' as const, summary: "would change (unknown until applied: depends on 'x')", dependsOn: 'x' };
    expect(outcomeWord(o)).to.equal('unknown');
    expect(outcomeDetail(o)).to.equal(o.summary);
  });
});
