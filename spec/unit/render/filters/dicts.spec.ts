import { oracleCases } from './fixture.js';

describe('filters: dicts (oracle: ansible-core 2.14)', () => {
  oracleCases('dicts', {});
});
