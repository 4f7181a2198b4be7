import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { checkHostKey, hostKeyName, hostsFieldMatches, parseKnownHosts } from '../../runner/connection/known-hosts.js';

// a syntactically valid ssh-ed25519 blob: string "ssh-ed25519" + string of 32 key bytes
const blob = (fill: number) => {
  const t = Buffer.from('ssh-ed25519');
  const k = Buffer.alloc(32, fill);
  const b = Buffer.alloc(8 + t.length + k.length);
  b.writeUInt32BE(t.length, 0); t.copy(b, 4); b.writeUInt32BE(k.length, 4 + t.length); k.copy(b, 8 + t.length);
  return b;
};
const line = (hosts: string, b: Buffer) => `${hosts} ssh-ed25519 ${b.toString('base64')}`;

describe('known_hosts', () => {
  it('matches plain names, [host]:port, comma lists, wildcards and negation', () => {
    expect(hostKeyName('10.1.1.1', 22)).to.equal('10.1.1.1');
    expect(hostKeyName('10.1.1.1', 2222)).to.equal('[10.1.1.1]:2222');
    expect(hostsFieldMatches('a,b,[c]:2222', '[c]:2222')).to.equal(true);
    expect(hostsFieldMatches('a,b', 'c')).to.equal(false);
    expect(hostsFieldMatches('*.example.com,!bad.example.com', 'web.example.com')).to.equal(true);
    expect(hostsFieldMatches('*.example.com,!bad.example.com', 'bad.example.com')).to.equal(false);
    expect(hostsFieldMatches('127.0.10.?', '127.0.10.2')).to.equal(true);
  });

  it('matches hashed |1|salt|hash names', () => {
    const salt = Buffer.alloc(20, 7);
    const hash = createHmac('sha1', salt).update('127.0.10.2').digest('base64');
    const field = `|1|${salt.toString('base64')}|${hash}`;
    expect(hostsFieldMatches(field, '127.0.10.2')).to.equal(true);
    expect(hostsFieldMatches(field, '127.0.10.3')).to.equal(false);
  });

  it('tells match, unknown, changed and revoked apart', () => {
    const good = blob(1), other = blob(2);
    const entries = parseKnownHosts(`# comment\n\n${line('h1,h2', good)}\n@revoked * ssh-ed25519 ${blob(9).toString('base64')}\n`, 'kh');
    expect(entries).to.have.length(2);
    expect(checkHostKey(entries, 'h2', good).kind).to.equal('match');
    expect(checkHostKey(entries, 'h3', good).kind).to.equal('unknown');
    const changed = checkHostKey(entries, 'h1', other);
    expect(changed.kind).to.equal('changed');
    if (changed.kind === 'changed') expect(changed.entries[0]).to.include({ file: 'kh', line: 3 });
    expect(checkHostKey(entries, 'h1', blob(9)).kind).to.equal('revoked');
  });
});
