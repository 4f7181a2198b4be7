// CLI: node --import tsx testbed/standins/cli.ts build [--cache-dir D]
//      node --import tsx testbed/standins/cli.ts serve [--apt-port N] [--pypi-port N] [--cache-dir D]
import { buildStandins, startStandins, DEFAULT_CACHE_DIR } from './index.js';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function port(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`bad port: ${v}`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const cacheDir = flag(rest, '--cache-dir') ?? DEFAULT_CACHE_DIR;
  if (cmd === 'build') {
    const b = await buildStandins(cacheDir);
    console.log(`apt repo:   ${b.apt.dir} (${b.apt.rebuilt ? 'built' : 'cached'})`);
    console.log(`  datadog-agent ${b.apt.agentVersion}, key fingerprint ${b.apt.keyFingerprint}`);
    console.log(`pypi index: ${b.pypi.dir} (${b.pypi.rebuilt ? 'built' : 'cached'})`);
    console.log(`  ${b.pypi.wheels.join(' ')}`);
    console.log(`took ${b.buildMs} ms`);
    return 0;
  }
  if (cmd === 'serve') {
    const s = await startStandins({
      cacheDir,
      aptPort: port(flag(rest, '--apt-port')),
      pypiPort: port(flag(rest, '--pypi-port')),
    });
    console.log(`aptUrl=${s.aptUrl}`);
    console.log(`keyUrl=${s.keyUrl}`);
    console.log(`keyFingerprint=${s.keyFingerprint}`);
    console.log(`pypiUrl=${s.pypiUrl}`);
    console.log('serving; Ctrl-C or SIGTERM to stop');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await s.stop();
    return 0;
  }
  console.error('usage: cli.ts build|serve [--apt-port N] [--pypi-port N] [--cache-dir DIR]');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
