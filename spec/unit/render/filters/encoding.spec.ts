import { expect } from 'chai';
import { FILTERS, FilterError } from '../../../../runner/render/filters/index.js';
import { oracleCases } from './fixture.js';

describe('filters: b64encode/b64decode, hash/checksum/md5/sha1, password_hash (oracle: ansible-core 2.14)', () => {
  oracleCases('encoding', {});
});

describe('password_hash without a salt', () => {
  it('draws a 16-character salt from ./0-9A-Za-z and hashes with it', () => {
    const out = FILTERS.password_hash!('pw', ['sha512'], {}) as string;
    const m = /^\$6\$([./0-9A-Za-z]{16})\$([./0-9A-Za-z]{86})$/.exec(out);
    expect(m, out).to.not.equal(null);
    expect(FILTERS.password_hash!('pw', ['sha512', m![1]], {})).to.equal(out);
    expect(FILTERS.password_hash!('pw', ['sha512'], {})).to.not.equal(out);
  });

  it('honours salt_size and rejects unsupported algorithms with a FilterError', () => {
    expect(FILTERS.password_hash!('pw', ['sha256'], { salt_size: 8 }) as string).to.match(/^\$5\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{43}$/);
    expect(() => FILTERS.password_hash!('pw', ['blowfish'], {})).to.throw(FilterError, /not supported/);
    expect(() => FILTERS.password_hash!(12, ['sha512', 'salt'], {})).to.throw(FilterError, /string/);
  });
});
