import { oracleCases } from './fixture.js';

describe('filters: regular expressions as playbooks write them (oracle: ansible-core 2.14)', () => {
  oracleCases('regex', {
    '"Aa" | regex_replace["(?-i:a)","-"] {"ignorecase":true}': 'turning ignorecase off inside a group has no JS RegExp equivalent; play says so',
    '"aaa" | regex_replace["a*?","-"]': 'after an empty match Python retries at the same position for a non-empty one; JS RegExp moves on',
  });
});
