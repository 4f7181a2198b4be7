// Runs the oracle cases recorded from ansible-core 2.14 (oracle/expected.json) against the TS filters.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { FILTERS, FilterError, GLOBALS, TESTS } from '../../../../runner/render/filters/index.js';
import { floatRepr } from '../../../../runner/render/filters/py.js';

interface Case {
  group: string;
  kind: 'filter' | 'test' | 'global';
  name: string;
  value: unknown;
  args: unknown[];
  kwargs: Record<string, unknown>;
  expect: { ok?: unknown; pyfloat?: boolean; set?: unknown[]; error?: string; undefined?: boolean };
}

const data = JSON.parse(readFileSync(new URL('./oracle/expected.json', import.meta.url), 'utf8')) as { cases: Case[] };

export function caseTitle(c: Case): string {
  const kw = Object.keys(c.kwargs).length ? ' ' + JSON.stringify(c.kwargs) : '';
  const head = c.kind === 'global' ? `${c.name}(${JSON.stringify(c.args).slice(1, -1)})` : `${JSON.stringify(c.value)} ${c.kind === 'test' ? 'is' : '|'} ${c.name}${c.args.length ? JSON.stringify(c.args) : ''}${kw}`;
  return head.length > 160 ? head.slice(0, 157) + '...' : head;
}

function call(c: Case): unknown {
  if (c.kind === 'filter') {
    const f = FILTERS[c.name];
    if (!f) throw new Error(`no filter ${c.name}`);
    return f(c.value, c.args, c.kwargs);
  }
  if (c.kind === 'test') {
    const t = TESTS[c.name];
    if (!t) throw new Error(`no test ${c.name}`);
    return t(c.value, c.args, c.kwargs);
  }
  return GLOBALS[c.name]!(...c.args);
}

const canon = (v: unknown) => JSON.stringify(v);

/** One `it` per recorded case of the group; `known` maps a case title to why play differs. */
export function oracleCases(group: string, known: Record<string, string> = {}): void {
  const cases = data.cases.filter((c) => c.group === group);
  it(`has oracle cases for ${group}`, () => expect(cases.length).to.be.greaterThan(10));
  for (const c of cases) {
    const title = caseTitle(c);
    if (known[title]) {
      it.skip(`${title}  (known difference: ${known[title]})`);
      continue;
    }
    it(title, () => {
      const e = c.expect;
      if (e.error !== undefined) {
        let thrown: unknown;
        let got: unknown;
        try {
          got = call(c);
        } catch (err) {
          thrown = err;
        }
        expect(thrown, `expected FilterError like Ansible's ${e.error}, got ${canon(got)}`).to.be.instanceOf(FilterError);
        expect((thrown as Error).message).to.not.match(/undefined is not|is not a function|Cannot read prop/);
        return;
      }
      const got = call(c);
      if (e.undefined) expect(got).to.equal(undefined);
      else if (e.set) expect((got as unknown[]).map(canon).sort()).to.deep.equal(e.set.map(canon).sort());
      else if (e.pyfloat && typeof e.ok === 'string') expect(floatRepr(got as number)).to.equal(e.ok);
      else expect(canon(got), `Ansible: ${canon(e.ok)}`).to.equal(canon(e.ok));
    });
  }
}
