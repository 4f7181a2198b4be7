// Where play's controller CPU goes: a --cpu-prof profile summed by category (nearest matching frame up
// the stack). Time the profiler saw in writeBuffer and (idle) is waiting, not work: on a loaded machine a
// socket write that wakes sshd is often where the scheduler takes the core away.
// Samples are counted (1 ms each at the default interval), not their time deltas: a delta includes the
// time the thread was descheduled, which on a loaded machine inflated a profile 4x and gave a single
// sample 100+ ms. Only the main thread is sampled (GC helpers, the thread pool and compiler threads are not).
// usage: node --cpu-prof --cpu-prof-dir=D bin/... ; node dist/bench/cpu-profile.js D/*.cpuprofile
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

/** Category, the function names that mark it, and whether the frame must be play's own (the bundle). */
const CATEGORIES: Array<[string, string[], boolean]> = [
  ['start-up (load, compile, CLI)', ['readYaml', 'parseYaml', 'loadPlan', 'compilePlan', 'buildInventory', '_registerCommand', 'compileSourceTextModule', 'compileForInternalLoader'], false],
  ['connect (kex, auth, host key)', ['openSsh', 'authHandler', 'checkHostKey', 'hostVerifier', 'handshake', 'authPK', 'onKEXPayload', 'readKnownHosts', 'planAuth'], false],
  ['shell frames (scripts, scanners, timers)', ['frameScript', 'EndScanner', '#dispatch', '#write', '#pending', 'mk', 'push', 'arm', 'settle', 'finish'], true],
  ['ssh2 in (decrypt, parse)', ['parsePacket', 'decrypt', 'onPayload'], false],
  ['ssh2 out (encrypt, send)', ['sendPacket', 'encrypt', 'channelData'], false],
  ['vars (hostTaskVars)', ['hostTaskVars', 'resolveLayers', 'magicVars', 'mergeVars'], true],
  ['render, validate, prepare, fingerprint', ['prepareRun', 'renderValue', 'validateModuleArgs', 'sha256', 'readControllerFile', 'prepare'], true],
  ['pipelining (speculation)', ['aheadFor', 'batchFor', 'firstProbeCommand', 'pipelineFor'], true],
  ['probe parse, decide', ['decide', 'decideFile', 'decideContent', 'decideLink', 'parseFileInfo', 'parseContentProbe', 'parseKv'], true],
  ['events (--json)', ['emit', 'redactValue'], true],
  ['state', ['lookup', 'recordDone', 'flush', 'commitRecord', 'withRecord'], true],
];

export function summarize(p: Profile): Array<[string, number]> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((s) => self.set(s, (self.get(s) ?? 0) + 1000));
  const out = new Map<string, number>();
  const add = (k: string, us: number) => out.set(k, (out.get(k) ?? 0) + us);
  for (const [id, us] of self) {
    const fn = byId.get(id)!.callFrame.functionName;
    if (fn === 'writeBuffer' || fn === '(idle)') { add('(waiting: writeBuffer, idle)', us); continue; }
    if (fn === '(garbage collector)') { add('garbage collector', us); continue; }
    let cat: string | undefined;
    for (let x: number | undefined = id; x !== undefined && !cat; x = parent.get(x)) {
      const f = byId.get(x)!.callFrame;
      cat = CATEGORIES.find(([, names, own]) => names.includes(f.functionName) && (!own || f.url.endsWith('play.mjs') || f.url.endsWith('play-snapshot.cjs')))?.[0];
    }
    add(cat ?? 'other (promises, streams, node internals)', us);
  }
  return [...out].sort((a, b) => b[1] - a[1]);
}

if (/cpu-profile\.[jt]s$/.test(process.argv[1] ?? '')) {
  for (const file of process.argv.slice(2)) {
    const rows = summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile);
    const work = rows.filter(([k]) => !k.startsWith('(waiting')).reduce((a, [, v]) => a + v, 0);
    process.stdout.write(`${file}\n| category | ms | share of work |\n|---|---|---|\n`);
    for (const [k, v] of rows) process.stdout.write(`| ${k} | ${(v / 1000).toFixed(0)} | ${k.startsWith('(waiting') ? '' : `${((100 * v) / work).toFixed(1)}%`} |\n`);
  }
}
