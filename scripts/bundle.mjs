// Build step: bundles the CLI (dist/runner/bin.js, from tsc) and its pure-JS dependencies into one
// file, dist/play.mjs, the `play` binary. Loading ~400 small modules cost a run ~60 ms of start-up
// (resolution, reads, compiles); one file does not. Kept outside: ssh2 (it loads a native crypto
// binding by relative path; it loads at the first connection), listr2 and the Datadog client (loaded
// lazily, when needed), and what the code requires at run time by name (ajv for non-built-in
// schemas, diff). scripts/snapshot.mjs then makes the start-up snapshot that bin/play starts from.
// usage: node scripts/bundle.mjs
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const requireHere = createRequire(import.meta.url);

await build({
  entryPoints: [join(dist, 'runner', 'bin.js')],
  outfile: join(dist, 'play.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['ssh2', 'listr2', '@datadog/datadog-api-client'],
  // node-ssh's CommonJS build, whose require('ssh2') runs when the first connection loads it; its ES
  // build's `import ... from 'ssh2'` would be hoisted, and load ssh2 at start-up for every command
  plugins: [{
    name: 'node-ssh-commonjs',
    setup(b) {
      b.onResolve({ filter: /^node-ssh$/ }, () => ({ path: requireHere.resolve('node-ssh') }));
    },
  }],
  // CommonJS dependencies inside an ES module need require, __filename and __dirname
  banner: {
    js: [
      "import { createRequire as __playRequire } from 'node:module';",
      "import { fileURLToPath as __playPath } from 'node:url';",
      "import { dirname as __playDir } from 'node:path';",
      'const require = __playRequire(import.meta.url);',
      'const __filename = __playPath(import.meta.url);',
      'const __dirname = __playDir(__filename);',
    ].join(' '),
  },
  logLevel: 'warning',
});
// validate.js requires the precompiled validators from next to itself: next to the bundle too
copyFileSync(join(dist, 'runner', 'load', 'validators.generated.cjs'), join(dist, 'validators.generated.cjs'));
process.stdout.write('bundled -> dist/play.mjs\n');
