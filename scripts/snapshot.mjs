// Build step: dist/play.blob, a V8 start-up snapshot of the CLI with everything loaded (Node's
// --build-snapshot), and dist/play.blob.node, the Node binary it was made with. A run started from it
// (bin/play) skips compiling and evaluating the bundle: ~65 ms less at every start on the build machine.
// The snapshot's code can require only Node's built-ins at build time, and nothing without a base
// after: listr2, the Datadog client, ajv and diff stay outside it and load through
// runner/dependencies.ts when first needed. ssh2 is inside but runs only at the first connection (it
// starts WebAssembly, which a snapshot cannot hold); its native bindings (*.node) load from
// node_modules then, by a path relative to dist/.
// usage: node scripts/snapshot.mjs
import { spawnSync } from 'node:child_process';
import { realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const script = join(dist, 'play-snapshot.cjs');
const blob = join(dist, 'play.blob');
const RUN_TIME = ['listr2', '@datadog/datadog-api-client', 'ajv', 'diff'];

await build({
  entryPoints: [join(root, 'scripts', 'snapshot-entry.mjs')],
  outfile: script,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // the code that needs import.meta.url at run time asks runner/dependencies.ts instead
  logOverride: { 'empty-import-meta': 'silent' },
  plugins: [{
    name: 'run-time-dependencies',
    setup(b) {
      const filter = new RegExp(`^(${RUN_TIME.map((d) => d.replace(/[/.]/g, '\\$&')).join('|')})$`);
      b.onResolve({ filter }, (a) => ({ path: a.path, namespace: 'run-time' }));
      b.onResolve({ filter: /\.node$/ }, (a) => ({ path: `./${relative(dist, resolve(a.resolveDir, a.path))}`, namespace: 'run-time' }));
      b.onLoad({ filter: /.*/, namespace: 'run-time' }, (a) => ({
        contents: `const { requireDependency } = require(${JSON.stringify(join(dist, 'runner', 'dependencies.js'))});\n` +
          `module.exports = requireDependency(${JSON.stringify(a.path)});\n`,
        resolveDir: root,
        loader: 'js',
      }));
    },
  }],
  logLevel: 'warning',
});

rmSync(blob, { force: true });
const made = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', script], { cwd: dist, encoding: 'utf8' });
// Node warns that child_process and module are "not yet fully verified" in snapshots; the specs run
// every CLI path from the snapshot. Anything else it prints is shown.
const noise = /^\(node:\d+\) Warning: It's not yet fully verified whether built-in module "(node:)?(child_process|module)"|^It may still work|^To request support|^\(Use `node --trace-warnings/;
const said = made.stderr.split('\n').filter((l) => l && !noise.test(l));
if (said.length) process.stderr.write(said.join('\n') + '\n');
if (made.status !== 0) {
  process.stderr.write(`snapshot: node --build-snapshot failed (exit ${made.status}); bin/play will run dist/play.mjs\n`);
  process.exit(1);
}
writeFileSync(join(dist, 'play.blob.node'), `${realpathSync(process.execPath)}\n`);
rmSync(script);
process.stdout.write(`snapshot -> dist/play.blob (for ${realpathSync(process.execPath)})\n`);
