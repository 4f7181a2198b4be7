import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { globQuote, quote, quoteArgs, shlexSplit } from '../../../runner/shell-quote.js';
import { formatMode, resolveMode } from '../../../runner/modules/mode.js';

const echo = (cmd: string): string => execFileSync('sh', ['-c', cmd], { encoding: 'utf8' });

describe('shell-quote', () => {
  it('quotes so that sh gives back the exact word', () => {
    for (const w of ["it's", 'a b', '$HOME', '`id`', '"x"', '', 'a\nb', '*', 'plain/path-1.2']) {
      expect(echo(`printf %s ${quote(w)}`)).to.equal(w);
    }
    expect(quote('plain/path-1.2')).to.equal('plain/path-1.2');
    expect(quote("it's")).to.equal(`'it'\\''s'`);
    expect(quoteArgs(['ls', '-l', 'a b'])).to.equal("ls -l 'a b'");
  });
  it('keeps * and ? live in globQuote but quotes the rest', () => {
    expect(globQuote('/etc/my dir/*.conf')).to.equal("'/etc/my dir/'*.conf");
    expect(echo(`cd / && for f in ${globQuote('/et?/host*')}; do echo "$f"; done`)).to.contain('/etc/hostname');
  });
  it('splits like shlex with spans', () => {
    expect(shlexSplit(`echo "a b" 'c d' e\\ f creates=/x`).map((t) => t.value)).to.deep.equal(['echo', 'a b', 'c d', 'e f', 'creates=/x']);
    const s = 'ls  -l';
    const t = shlexSplit(s)[1]!;
    expect(s.slice(t.start, t.end)).to.equal('-l');
    expect(() => shlexSplit('echo "open')).to.throw(/closing/);
  });
});

describe('mode', () => {
  it('reads octal strings, numbers and symbolic modes', () => {
    expect(resolveMode('0640', undefined, false)).to.deep.equal({ ok: true, mode: 0o640 });
    expect(resolveMode('640', undefined, false)).to.deep.equal({ ok: true, mode: 0o640 });
    expect(resolveMode(0o640, undefined, false)).to.deep.equal({ ok: true, mode: 0o640 });
    expect(resolveMode('u=rw,g=r,o=', 0o777, false)).to.deep.equal({ ok: true, mode: 0o640 });
    expect(resolveMode('g+w', 0o644, false)).to.deep.equal({ ok: true, mode: 0o664 });
    expect(resolveMode('a+X', 0o644, true)).to.deep.equal({ ok: true, mode: 0o755 });
    expect(resolveMode('u+s', 0o755, false)).to.deep.equal({ ok: true, mode: 0o4755 });
  });
  it('takes a number as the permission bits, as Ansible does (YAML reads 0640 as 0o640)', () => {
    expect(resolveMode(0o640, undefined, false)).to.deep.equal({ ok: true, mode: 0o640 });
    expect(resolveMode(420, undefined, false)).to.deep.equal({ ok: true, mode: 0o644 });
    expect(resolveMode(644, undefined, false)).to.deep.equal({ ok: true, mode: 0o1204 });
  });
  it('refuses nonsense', () => {
    expect(resolveMode('rw-r--r--', undefined, false).ok).to.equal(false);
    expect(resolveMode(99999, undefined, false).ok).to.equal(false);
    expect(formatMode(0o640)).to.equal('0640');
  });
});
