// Testbed CLI.
//   node --import tsx testbed/cli.ts up N [--dir D] [--first-ip IP]   start N hosts, stay up until SIGINT/SIGTERM
//   node --import tsx testbed/cli.ts down [--dir D] [--force]         kill and unmount leftovers of a crashed run
//   (--force also takes hosts whose `up` process is still alive)
import { cleanupStale } from './host.js';
import { defaultBaseDir, startTestbed } from './testbed.js';

function usage(msg?: string): never {
  if (msg) process.stderr.write(`testbed: ${msg}\n`);
  process.stderr.write('usage: testbed/cli.ts up N [--dir D] [--first-ip IP] | down [--dir D] [--force]\n');
  process.exit(2);
}

function parse(argv: string[]) {
  const pos: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--dir' || a === '--first-ip') {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      flags[a.slice(2)] = v;
    } else if (a === '--force') flags['force'] = '1';
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else pos.push(a);
  }
  return { pos, flags };
}

async function main(): Promise<void> {
  const { pos, flags } = parse(process.argv.slice(2));
  const dir = flags['dir'] ?? defaultBaseDir();
  if (pos[0] === 'down') {
    const gone = await cleanupStale(dir, { force: flags['force'] === '1' });
    process.stdout.write(`cleaned ${gone.length} host(s) under ${dir}\n`);
    return;
  }
  if (pos[0] !== 'up') usage();
  const count = Number(pos[1] ?? '1');
  if (!Number.isInteger(count) || count < 1) usage('N must be a positive integer');
  const t0 = Date.now();
  const tb = await startTestbed({ count, baseDir: dir, firstIp: flags['first-ip'] });
  for (const h of tb.hosts) process.stderr.write(`${h.name} ${h.ip} pid ${h.pid}\n`);
  process.stderr.write(`${count} host(s) up in ${Date.now() - t0} ms; Ctrl-C to stop\n`);
  process.stdout.write(`${tb.inventoryPath}\n`);
  const keepAlive = setInterval(() => undefined, 1 << 30); // the hosts are unref'd children
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(keepAlive);
  await tb.stop();
  process.stderr.write('stopped\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`testbed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
