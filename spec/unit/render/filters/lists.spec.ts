import { oracleCases } from './fixture.js';

describe('filters: lists (oracle: ansible-core 2.14)', () => {
  oracleCases('lists', {});
});
