import { oracleCases } from './fixture.js';

describe('filters: regular expressions as playbooks write them (oracle: ansible-core 2.14)', () => {
  oracleCases('regex', {
    '"aB" | regex_replace["(?i:b)","X"]': 'scoped inline flags (?i:...) have no JS RegExp equivalent in Node 20; play says so',
    '"aaa" | regex_replace["a*?","-"]': 'after an empty match Python retries at the same position for a non-empty one; JS RegExp moves on',
  });
});
