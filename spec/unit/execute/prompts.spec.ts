// vars_prompt: answers become play variables, an empty answer takes the default, -e is not asked for,
// and without a terminal a prompt with neither a default nor -e is one clear error before anything runs.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unanswerablePrompts, questionOf } from '../../../runner/execute/prompts.js';
import type { Plan, VarsPrompt } from '../../../runner/types.js';
import { runFake, type FakeRun } from '../../support/fake-host.js';
import { play as cli } from '../../support/play.js';

const PB = `- hosts: web
  gather_facts: false
  vars_prompt:
    - name: release
      prompt: Which release
      private: false
    - name: token
      default: tok-default
  tasks:
    - name: show
      debug: {msg: "{{ release }} {{ token }}"}
`;
const message = (r: FakeRun, host: string) => r.events.flatMap((e) => (e.kind === 'host_result' && e.host === host ? [e.message] : []))[0];
const at = { file: 'site.yml', line: 3, col: 7 };

describe('vars_prompt', () => {
  it('asks each question once per play, Ansible\'s way; an empty answer takes the default', async () => {
    const asked: string[] = [];
    const r = await runFake(PB, { askVar: async (p, q) => (asked.push(q), p.name === 'release' ? '1.2' : '') });
    expect(asked).to.deep.equal(['Which release: ', 'token [tok-default]: ']);
    expect(message(r, 'h1')).to.equal('1.2 tok-default');
    expect(message(r, 'h2')).to.equal('1.2 tok-default');
  });

  it('-e answers a prompt: it is not asked', async () => {
    const asked: string[] = [];
    const r = await runFake(PB, { extraVars: ['release=9'], askVar: async (p, q) => (asked.push(q), 'typed') });
    expect(asked).to.deep.equal(['token [tok-default]: ']);
    expect(message(r, 'h1')).to.equal('9 typed');
  });

  it('without a terminal, names each prompt that has neither a default nor -e', () => {
    const prompts: VarsPrompt[] = [{ name: 'release', prompt: 'release', private: true, src: at }, { name: 'token', prompt: 'token', private: true, default: 'd', src: at }];
    const plan = { plays: [{ varsPrompt: prompts }], extraVars: {} } as unknown as Plan;
    expect(unanswerablePrompts(plan, false)).to.equal("site.yml:3:7: vars_prompt 'release' needs an answer, and there is no terminal to ask on; give it with -e release=... or set a default");
    expect(unanswerablePrompts(plan, true)).to.equal(undefined);
    expect(unanswerablePrompts({ ...plan, extraVars: { release: 'x' } }, false)).to.equal(undefined);
    expect(questionOf(prompts[1]!)).to.equal('token [d]: ');
  });

  describe('through the CLI, with no terminal', function () {
    this.timeout(20000);
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'play-prompt-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const write = (pb: string) => writeFileSync(join(dir, 'site.yml'), pb.replace('hosts: web', 'hosts: localhost'));

    it('refuses to start, naming the prompt and its file:line', async () => {
      write(PB);
      const r = await cli([join(dir, 'site.yml'), '--no-state'], { cwd: dir });
      expect(r.code, r.stdout + r.stderr).not.to.equal(0);
      expect(r.stderr).to.match(/site\.yml:4:7: vars_prompt 'release' needs an answer, and there is no terminal to ask on/);
      expect(r.stdout).not.to.match(/show/);
    });

    it('runs with -e and the defaults', async () => {
      write(PB);
      const r = await cli([join(dir, 'site.yml'), '--no-state', '--json', '-e', 'release=2.0'], { cwd: dir });
      expect(r.code, r.stdout + r.stderr).to.equal(0);
      const shown = r.events.flatMap((e) => (e.kind === 'host_result' ? [e.message] : []));
      expect(shown).to.deep.equal(['2.0 tok-default']);
    });
  });
});
