// NODE_EXTRA_CA_CERTS, deferred to the first HTTPS client. Node 20 reads that file at every start
// (~35 ms for a distribution's CA bundle), while play speaks TLS only to the Datadog API. bin/play
// hands the file over as PLAY_EXTRA_CA_CERTS; child processes get NODE_EXTRA_CA_CERTS back.
// https and tls load only here: they cannot be in the start-up snapshot.
import { readFileSync } from 'node:fs';

export const HANDED_OVER = 'PLAY_EXTRA_CA_CERTS';
let deferredFile: string | undefined;

/** At start: takes the file bin/play handed over, and puts NODE_EXTRA_CA_CERTS back for children. */
export function takeDeferredCaCerts(): void {
  deferredFile = handBack(process.env);
}

/** Moves PLAY_EXTRA_CA_CERTS back to NODE_EXTRA_CA_CERTS in env; returns the file, if any. */
export function handBack(env: NodeJS.ProcessEnv): string | undefined {
  const file = env[HANDED_OVER];
  delete env[HANDED_OVER];
  if (!file) return undefined;
  env.NODE_EXTRA_CA_CERTS ??= file;
  return file;
}

/** Before the first HTTPS request: HTTPS trusts Node's roots plus the file's certificates, as Node would. */
export function applyDeferredCaCerts(): void {
  const file = deferredFile;
  deferredFile = undefined;
  if (!file) return;
  try {
    const pem = readFileSync(file, 'utf8');
    const { rootCertificates } = process.getBuiltinModule('node:tls');
    process.getBuiltinModule('node:https').globalAgent.options.ca = [...rootCertificates, pem];
  } catch (e) {
    // Node's own words for a file it cannot read
    process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${(e as Error).message}`);
  }
}
