// wait_for (recorded polls) and the controller-only modules; plus the builtin registration.
import { expect } from 'chai';
import { decideWaitFor, parseWaitFor, waitForModule } from '../../../runner/modules/wait_for.js';
import { debugModule } from '../../../runner/modules/debug.js';
import { assertModule } from '../../../runner/modules/assert.js';
import { setFactModule } from '../../../runner/modules/set_fact.js';
import { failModule } from '../../../runner/modules/fail.js';
import { metaModule } from '../../../runner/modules/meta.js';
import { registerBuiltinModules } from '../../../runner/modules/builtin.js';
import { getModule, moduleNames } from '../../../runner/modules/registry.js';
import { localConn } from './local-conn.js';
import { dctx, failMsg, fx, reason } from './helpers.js';

describe('wait_for', () => {
  it('parses recorded polls and decides', () => {
    expect(parseWaitFor(fx('wait_for-path'))).to.deep.equal({ met: true, elapsedMs: 5 });
    expect(reason(decideWaitFor({ path: '/srv/fx/motd' }, parseWaitFor(fx('wait_for-path'))))).to.equal('path /srv/fx/motd existed after 0.0 s');
    expect(failMsg(decideWaitFor({ port: 5999, timeout: 1 }, parseWaitFor(fx('wait_for-port-timeout'))))).to.equal('Timeout when waiting for 127.0.0.1:5999 (1.1 s)');
    expect(reason(decideWaitFor({ port: 5050 }, { met: true, elapsedMs: 1300 }))).to.equal('port 5050 answered after 1.3 s');
  });
  it('really polls a local port that opens late (1 exec)', async () => {
    const { createServer } = await import('node:net');
    const server = createServer((s) => s.end());
    const conn = localConn();
    const port = 20000 + Math.floor(Math.random() * 20000);
    setTimeout(() => server.listen(port, '127.0.0.1'), 600);
    try {
      const p = await waitForModule.probe({ port, timeout: 10, sleep: 0.2 }, { conn, host: 'local', vars: {}, diff: false });
      const d = waitForModule.decide({ port }, p, dctx());
      expect(reason(d)).to.match(new RegExp(`^port ${port} answered after [0-9.]+ s$`));
      expect(p.elapsedMs).to.be.greaterThan(400);
      expect(conn.execCount).to.equal(1);
    } finally {
      server.close();
    }
  });
});

describe('controller-only modules', () => {
  it('debug: msg and var', () => {
    const d = debugModule.decide(debugModule.normalize!('hello') as { msg: string }, null, dctx());
    expect(d).to.deep.equal({ kind: 'noop', reason: 'hello', result: { msg: 'hello' }, message: 'hello' });
    const v = debugModule.decide({ var: 'a.b' }, null, dctx({ vars: { a: { b: [1] } } }));
    expect(v.kind === 'noop' && v.result).to.deep.equal({ 'a.b': [1] });
    expect(reason(debugModule.decide({ var: 'nope' }, null, dctx()))).to.equal('nope: VARIABLE IS NOT DEFINED!');
  });
  it('assert: takes evaluated booleans', () => {
    expect(reason(assertModule.decide({ that: [true, true] }, null, dctx()))).to.equal('All assertions passed (2 conditions)');
    expect(failMsg(assertModule.decide({ that: [true, false], fail_msg: 'agent too old' }, null, dctx()))).to.equal('agent too old (condition 2 of 2 is false)');
    expect(failMsg(assertModule.decide({ that: ['x == 1'] }, null, dctx()))).to.match(/not evaluated/);
  });
  it('set_fact: setVars without cacheable', () => {
    expect(setFactModule.decide({ a: 1, b: 'x', cacheable: true }, null, dctx())).to.deep.include({ kind: 'noop', reason: 'set 2 facts: a, b', setVars: { a: 1, b: 'x' } });
  });
  it('set_fact: a string true/false/yes/no is a boolean, as in Ansible (set_fact: a=1 b=yes gives "1" and true)', () => {
    expect(setFactModule.decide({ a: '1', b: 'yes', c: 'False', d: 'yesterday' }, null, dctx())).to.deep.include({ setVars: { a: '1', b: true, c: false, d: 'yesterday' } });
  });
  it('fail and meta', () => {
    expect(failMsg(failModule.decide({}, null, dctx()))).to.equal('Failed as requested from task');
    expect(failMsg(failModule.decide(failModule.normalize!('boom') as { msg: string }, null, dctx()))).to.equal('boom');
    expect(metaModule.normalize!('flush_handlers')).to.deep.equal({ action: 'flush_handlers' });
    expect(reason(metaModule.decide({ action: 'flush_handlers' }, null, dctx()))).to.match(/flush_handlers/);
  });
  it('registers every builtin, reachable with the ansible.builtin. prefix', () => {
    registerBuiltinModules();
    for (const n of ['apt', 'assert', 'command', 'copy', 'debug', 'fail', 'file', 'group', 'lineinfile', 'meta', 'service', 'set_fact', 'shell', 'stat', 'template', 'user', 'wait_for']) {
      expect(moduleNames()).to.include(n);
      expect(getModule(`ansible.builtin.${n}`)?.name).to.equal(n);
    }
    expect(getModule('debug')?.controllerOnly).to.equal(true);
  });
});
