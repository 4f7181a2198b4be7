// Root hook plugin (add to .mocharc "require"): after all tests, kill and unmount test hosts a crashed
// or interrupted run left behind under the testbed directory.
import { cleanupStale } from '../../testbed/host.js';
import { defaultBaseDir } from '../../testbed/testbed.js';

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60000);
    await cleanupStale(defaultBaseDir());
  },
};
