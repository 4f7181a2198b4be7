// Choosing the backend, masking its URL, and --shard: pure, no database.
import { expect } from 'chai';
import { UsageError } from '../../../runner/errors.js';
import { inShard, parseShard, shardOf } from '../../../runner/inventory/shard.js';
import { maskUrl, resolveStateLocation, urlPassword } from '../../../runner/state/backend.js';
import { lockKey } from '../../../runner/state/postgres/backend.js';

describe('state backend location', () => {
  it('local by default; --state beats PLAY_STATE_URL; `local` opts out of the env', () => {
    expect(resolveStateLocation(undefined, {}, '/p/.play')).to.deep.equal({ kind: 'local', dir: '/p/.play' });
    expect(resolveStateLocation(undefined, { PLAY_STATE_URL: 'postgres://u@db:5432/play' }, '/d')).to.deep.equal({ kind: 'postgres', url: 'postgres://u@db:5432/play' });
    expect(resolveStateLocation('postgresql://v@db/x', { PLAY_STATE_URL: 'postgres://u@db/play' }, '/d')).to.deep.equal({ kind: 'postgres', url: 'postgresql://v@db/x' });
    expect(resolveStateLocation('local', { PLAY_STATE_URL: 'postgres://u@db/play' }, '/d')).to.deep.equal({ kind: 'local', dir: '/d' });
  });

  it('refuses a password on the command line, masked; accepts one from the environment', () => {
    expect(() => resolveStateLocation('postgres://u:s3cret-pw@db/play', {}, '/d')).to.throw(UsageError, /--state postgres:\/\/u:\*\*\*@db\/play: a password on the command line/);
    try {
      resolveStateLocation('postgres://u:s3cret-pw@db/play', {}, '/d');
    } catch (err) {
      expect((err as Error).message).not.to.include('s3cret-pw');
    }
    expect(resolveStateLocation(undefined, { PLAY_STATE_URL: 'postgres://u:pw@db/play' }, '/d')).to.deep.equal({ kind: 'postgres', url: 'postgres://u:pw@db/play' });
  });

  it('refuses anything but local or a postgres URL', () => {
    expect(() => resolveStateLocation('mysql://u:pw@db/x', {}, '/d')).to.throw(UsageError, /--state expects 'local' or a postgres:\/\/.*got 'mysql:\/\/u:\*\*\*@db\/x'/);
    expect(() => resolveStateLocation(undefined, { PLAY_STATE_URL: 's3://bucket' }, '/d')).to.throw(UsageError, /^PLAY_STATE_URL expects/);
  });

  it('masks and extracts the password of a URL', () => {
    expect(maskUrl('postgres://u:p%40ss@db:5432/play?sslmode=require')).to.equal('postgres://u:***@db:5432/play?sslmode=require');
    expect(maskUrl('postgres://u@db/play')).to.equal('postgres://u@db/play');
    expect(urlPassword('postgres://u:p%40ss@db/play')).to.equal('p@ss');
    expect(urlPassword('postgres://u@db/play')).to.equal(undefined);
  });

  it('a host lock key is a stable signed 64-bit integer per identity', () => {
    expect(lockKey('abc')).to.equal(lockKey('abc'));
    expect(lockKey('abc')).not.to.equal(lockKey('abd'));
    const k = BigInt(lockKey('abc'));
    expect(k >= -(2n ** 63n) && k < 2n ** 63n).to.equal(true);
  });
});

describe('--shard I/N', () => {
  const hosts = Array.from({ length: 200 }, (_, i) => `web-${i}.example`);

  it('parses I/N with 1 <= I <= N, else a usage error', () => {
    expect(parseShard('2/4')).to.deep.equal({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '1/2/3']) expect(() => parseShard(bad), bad).to.throw(UsageError, /--shard expects I\/N/);
  });

  it('covers every host exactly once, whatever the order of the list', () => {
    for (const n of [1, 2, 3, 7]) {
      const slices = Array.from({ length: n }, (_, i) => inShard(hosts, { index: i + 1, count: n }));
      expect(slices.flat().sort(), `N=${n}`).to.deep.equal([...hosts].sort());
      const reversed = Array.from({ length: n }, (_, i) => inShard([...hosts].reverse(), { index: i + 1, count: n }));
      expect(reversed.map((s) => s.sort()), 'order does not matter').to.deep.equal(slices.map((s) => [...s].sort()));
      if (n > 1) for (const s of slices) expect(s.length, `N=${n} roughly even`).to.be.within(200 / n / 2, (200 / n) * 2);
    }
  });

  it('a host keeps its slice when other hosts come and go', () => {
    const before = shardOf('db-1', 4);
    expect(inShard(['db-1', 'x', 'y'], { index: before, count: 4 })).to.include('db-1');
    expect(inShard(['db-1'], { index: before, count: 4 })).to.deep.equal(['db-1']);
  });
});
