// Mocha helper: `const tb = useTestbed(3)` inside a describe() starts hosts in before() and stops them
// in after(), even when tests fail; a process exit/SIGINT safety net kills what is still running.
import { startTestbed, type Testbed, type TestbedOptions } from '../../testbed/testbed.js';

export type UseTestbedOptions = Omit<TestbedOptions, 'count'>;

/** Handle filled in by before(); read `.current` inside tests and hooks. */
export interface TestbedHandle {
  current: Testbed;
}

const live = new Set<Testbed>();
let netInstalled = false;

/** Last resort on exit: synchronous SIGKILL of every namespace still up (--kill-child takes the rest). */
function installSafetyNet(): void {
  if (netInstalled) return;
  netInstalled = true;
  const killAll = () => {
    for (const tb of live) {
      for (const h of tb.hosts) {
        try { process.kill(h.pid, 'SIGKILL'); } catch { /* gone */ }
      }
    }
  };
  process.on('exit', killAll);
  const onSignal = (sig: NodeJS.Signals) => {
    killAll(); // upper dirs are removed by the next cleanupStale (the pid files stay behind)
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

export function useTestbed(count: number, opts: UseTestbedOptions = {}): TestbedHandle {
  const handle = {} as TestbedHandle;
  let tb: Testbed | undefined;
  before(async function () {
    this.timeout(120000);
    installSafetyNet();
    tb = await startTestbed({ count, ...opts });
    live.add(tb);
    handle.current = tb;
  });
  after(async function () {
    this.timeout(60000);
    if (!tb) return;
    live.delete(tb);
    await tb.stop();
  });
  return handle;
}
