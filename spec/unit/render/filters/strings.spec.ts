import { oracleCases } from './fixture.js';

describe('filters: strings, numbers, regex, paths (oracle: ansible-core 2.14)', () => {
  oracleCases('strings', {
    '1e+23 | string': 'a JS number beyond 2^53 is a float, Python keeps big ints exact',
  });
});
