// argv -> options; the only process.exit; error kind -> exit code. bin.ts and the start-up snapshot call main.
// The sub-commands live in runner/commands/.
import { Command } from 'commander';
import { LoadError, StateError, UsageError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { takeDeferredCaCerts } from './tls-trust.js';
import { PLAY_VERSION } from './version.js';
import { escapeControls } from './report/sanitize.js';
import { registerConfigCommand } from './commands/config.js';
import { registerRunCommands } from './commands/run.js';
import { registerStateCommands } from './commands/state.js';
import { registerVaultCommands } from './commands/vault.js';

const program = new Command('play')
  .description('Run declarative playbooks over SSH; reruns skip what already completed.')
  .showHelpAfterError()
  .exitOverride();

registerRunCommands(program, done);
registerStateCommands(program, done);
registerVaultCommands(program, done);
registerConfigCommand(program, done);

function done(code: number): never {
  process.exit(code);
}

/** How the process started: from the start-up snapshot (bin/play, when the build made one) or from source or the bundle. */
export type StartedFrom = 'snapshot' | 'module';

/**
 * Runs the CLI on argv (node, script, ...args). Errors end the process with their exit code.
 * Called by runner/bin.ts, and by the snapshot's start (scripts/snapshot-entry.mjs).
 */
export async function main(argv: string[], startedFrom: StartedFrom): Promise<void> {
  takeDeferredCaCerts();
  // set here, not when the module loads: the snapshot loads it at build time
  const version = `play ${PLAY_VERSION} (Node ${process.version}${startedFrom === 'snapshot' ? ', start-up snapshot' : ''})`;
  program.version(version, '-V, --version', 'print the versions of play and Node, and how play started');
  try {
    await program.parseAsync(argv);
  } catch (err) {
    fail(err);
  }
}

function fail(err: unknown): never {
  const e = err as Error & { code?: string; exitCode?: number };
  if (err instanceof LoadError) {
    process.stderr.write(`${escapeControls(err.message)}\n${err.diagnostics.length} problem(s) found; nothing was run.\n`);
    done(EXIT.invalidInput);
  }
  if (err instanceof UsageError) {
    process.stderr.write(`play: ${err.message}\n`);
    done(EXIT.usage);
  }
  if (err instanceof StateError) {
    process.stderr.write(`play: ${err.message}\n`);
    done(EXIT.stateBusy);
  }
  if (e.code?.startsWith('commander.')) done(e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.ok : EXIT.usage);
  process.stderr.write(`play: internal error: ${e.stack ?? e.message}\n`);
  return done(EXIT.internal);
}
