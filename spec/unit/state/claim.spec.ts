// claimHosts: a host another controller holds is reported busy and left alone; the others go on.
import { expect } from 'chai';
import { claimHosts } from '../../../runner/execute/claim.js';
import { newTally, type HostRun, type RunContext } from '../../../runner/execute/context.js';
import type { RunEvent } from '../../../runner/events.js';
import type { StateSession } from '../../../runner/state/types.js';

const host = (name: string, identity?: string): HostRun =>
  ({ name, identity, spec: { kind: 'local', host: name } as HostRun['spec'], facts: {}, factsGathered: false, registered: {}, status: 'active', tally: newTally(), notified: new Set() });

function ctxWith(state: StateSession | null, events: RunEvent[]): RunContext {
  return { opts: { forks: 2 }, state, emit: (e: RunEvent) => events.push(e) } as unknown as RunContext;
}

const session = (busy: Set<string>, asked: string[]): StateSession => ({
  lookup: () => undefined, recordDone: () => undefined, notify: () => undefined, handled: () => undefined, pendingHandlers: () => [], flush: () => undefined,
  claimHost: (identity: string) => {
    asked.push(identity);
    return Promise.resolve(!busy.has(identity));
  },
});

describe('claimHosts', () => {
  it('claims every active host with an identity; a busy one becomes unreachable with a reason', async () => {
    const events: RunEvent[] = [];
    const asked: string[] = [];
    const hosts = [host('a', 'id-a'), host('b', 'id-b'), host('c', 'id-c'), host('gone'), { ...host('failed', 'id-f'), status: 'failed' as const }];
    await claimHosts(ctxWith(session(new Set(['id-b']), asked), events), hosts);
    expect(asked.sort()).to.deep.equal(['id-a', 'id-b', 'id-c']);
    expect(hosts.map((h) => h.status)).to.deep.equal(['active', 'unreachable', 'active', 'active', 'failed']);
    expect(hosts[1]!.tally.unreachable).to.equal(1);
    expect(events).to.deep.equal([{ kind: 'host_unreachable', host: 'b', msg: "b: busy: another play run holds this host's lock in the state store; left alone (pass --state-wait SECONDS to wait for it)" }]);
  });

  it('does nothing for a store without host locks (local) or without a store', async () => {
    const events: RunEvent[] = [];
    const local = { ...session(new Set(), []), claimHost: undefined };
    const hosts = [host('a', 'id-a')];
    await claimHosts(ctxWith(local, events), hosts);
    await claimHosts(ctxWith(null, events), hosts);
    expect(events).to.deep.equal([]);
    expect(hosts[0]!.status).to.equal('active');
  });
});
