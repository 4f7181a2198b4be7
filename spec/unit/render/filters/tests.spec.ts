import { oracleCases } from './fixture.js';

describe('tests, including version/version_compare (oracle: ansible-core 2.14)', () => {
  oracleCases('tests', {});
});
