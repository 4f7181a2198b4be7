// Ansible as the oracle: every matrix runs under ansible-playbook and play on two fresh hosts, and
// per case the statuses and the host trees (type, owner, group, mode, content, link target of every
// path either tool touched) must be identical, in check mode, on the first run and on a rerun.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffSnapshots, ownedBy, type Snapshot } from '../../bench/compare.js';
import { useTestbed } from '../support/testbed.js';
import { statusDiff, type DiffMatrix } from './matrix.js';
import { runBoth, type BothRuns, type PhaseResult } from './run-both.js';
import { MATRICES } from './matrices/index.js';

const only = (s: Snapshot, roots: string[]): Snapshot => new Map([...s].filter(([p]) => ownedBy(p, roots)));
const outside = (s: Snapshot, roots: string[]): Snapshot => new Map([...s].filter(([p]) => !ownedBy(p, roots)));

function describeMatrix(m: DiffMatrix): void {
  describe(`differential: ${m.module}`, function () {
    const tb = useTestbed(2, { namePrefix: 'diff' });
    let runs: BothRuns | undefined;
    let phases: PhaseResult[] = [];
    before(async function () {
      this.timeout(m.timeoutMs ?? 600000);
      runs = await runBoth(tb.current, m, mkdtempSync(join(tmpdir(), `play-diff-${m.module}-`)));
      const quiet = (t: Snapshot): Snapshot => new Map([...t].filter(([p]) => !m.noise?.some((n) => n.test(p))));
      runs.fresh = { ansible: quiet(runs.fresh.ansible), play: quiet(runs.fresh.play) };
      phases = runs.phases.map((ph) => ({ ...ph, ansibleTree: quiet(ph.ansibleTree), playTree: quiet(ph.playTree) }));
    });
    const allRoots = m.cases.flatMap((c) => c.roots);

    it('--check changes nothing on either host', function () {
      const check = phases[0]!;
      expect(diffSnapshots(runs!.fresh.ansible, check.ansibleTree, ['fresh', 'ansible --check']), 'ansible').to.deep.equal([]);
      expect(diffSnapshots(runs!.fresh.play, check.playTree, ['fresh', 'play --check']), 'play').to.deep.equal([]);
    });
    for (const c of m.cases) {
      it(`${c.name}: same statuses and same tree in every phase`, function () {
        const problems: string[] = [];
        for (const ph of phases) {
          if (!c.differs?.[ph.phase]) problems.push(...statusDiff(c, ph.ansible, ph.play, ph.phase).map((l) => `${ph.phase}: ${l}`));
          problems.push(...diffSnapshots(only(ph.ansibleTree, c.roots), only(ph.playTree, c.roots), ['ansible', 'play']).map((l) => `${ph.phase}: ${l}`));
        }
        expect(problems, problems.length ? `${phases.map((p) => `--- ${p.phase}\n${p.playOut.slice(-3000)}`).join('\n')}` : '').to.deep.equal([]);
      });
    }
    it('nothing outside the cases\' paths differs', function () {
      const last = phases[phases.length - 1]!;
      expect(diffSnapshots(outside(last.ansibleTree, allRoots), outside(last.playTree, allRoots), ['ansible', 'play'])).to.deep.equal([]);
    });
  });
}

// PLAY_DIFF_MATRICES=file,copy runs only those matrices (by module name), for iterating on a few.
const pick = process.env.PLAY_DIFF_MATRICES?.split(',').map((x) => x.trim()).filter(Boolean);
for (const m of MATRICES) if (!pick || pick.includes(m.module)) describeMatrix(m);
