// Entry of dist/play.blob, the start-up snapshot (scripts/snapshot.mjs bundles it from dist/runner).
// Loading the CLI happens once, at build time; every run starts with it loaded.
import { resolve, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startupSnapshot } from 'node:v8';
import { main } from '../dist/runner/cli.js';
import { setDependencyBase } from '../dist/runner/dependencies.js';
import { usePrecompiled } from '../dist/runner/load/validate.js';
import validators from '../dist/runner/load/validators.generated.cjs';
import { warmUp } from './snapshot-warm.mjs';

usePrecompiled(validators);
warmUp();

startupSnapshot.setDeserializeMainFunction(() => {
  // bin/play starts `node --snapshot-blob DIST/play.blob -- ARGS`: the code has no file of its own, so
  // run-time dependencies resolve from the bundle's place beside the blob
  const at = process.execArgv.findIndex((a) => a === '--snapshot-blob' || a.startsWith('--snapshot-blob='));
  const flag = process.execArgv[at] ?? '';
  const blob = flag.includes('=') ? flag.slice(flag.indexOf('=') + 1) : process.execArgv[at + 1];
  if (!blob) throw new Error('invariant: started from a snapshot without --snapshot-blob');
  setDependencyBase(pathToFileURL(join(dirname(resolve(blob)), 'play.mjs')).href);
  return main([process.argv[0], 'play', ...process.argv.slice(1)], 'snapshot');
});
