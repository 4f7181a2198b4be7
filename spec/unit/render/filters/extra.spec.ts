import { oracleCases } from './fixture.js';

describe('filters: path_join, groupby, batch, slice, urlencode, truncate, center, tojson, permutations, log, to_uuid, ... (oracle: ansible-core 2.14)', () => {
  oracleCases('extra', {});
});
