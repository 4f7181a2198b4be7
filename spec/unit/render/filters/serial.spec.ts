import { oracleCases } from './fixture.js';

const BIG = 'a JS number beyond 2^53 is a float; Python keeps big ints exact';
const KEY_ORDER = 'JS objects list integer-like keys first; Python dicts keep insertion order';

describe('filters: to_json/to_nice_json/from_json, to_yaml/to_nice_yaml/from_yaml (oracle: ansible-core 2.14)', () => {
  oracleCases('serial', {
    '{"big":12345678901234567000} | to_json': BIG,
    '{"big":12345678901234567000} | to_nice_json': BIG,
    '{"big":12345678901234567000} | to_yaml': BIG,
    '{"big":12345678901234567000} | to_nice_yaml': BIG,
    '{"123":3,"b":1} | to_json': KEY_ORDER,
    '"!!binary \\"aGk=\\"" | from_yaml': 'PyYAML gives bytes, which have no plain-JS form; play reports an error',
  });
});
