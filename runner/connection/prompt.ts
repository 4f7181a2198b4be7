// Secrets typed on the terminal: -k, -K and key passphrases. Read from /dev/tty (like ssh and sudo) with
// echo off, one prompt at a time; the answer lives only in memory and is registered with the Redactor.
import { openSync } from 'node:fs';
import { requireDependency } from '../dependencies.js';
import type { Redactor } from '../secrets/redact.js';
import type { ConnectionDefaults, ConnectionSecrets } from '../types.js';

export class NoTerminalError extends Error {}

let queue: Promise<unknown> = Promise.resolve();

/** Asks on the controlling terminal without echo. Prompts never overlap (parallel hosts wait their turn). */
export function promptSecret(question: string, opts: { tty?: string; echo?: boolean } = {}): Promise<string> {
  const next = queue.then(() => ask(question, opts.tty ?? '/dev/tty', opts.echo === true));
  queue = next.catch(() => undefined);
  return next;
}

// node:tty loads at the first prompt, not in the start-up snapshot (which it is not verified for)
async function ask(question: string, path: string, echo = false): Promise<string> {
  const { ReadStream, WriteStream } = requireDependency<typeof import('node:tty')>('node:tty');
  let rfd: number;
  let wfd: number;
  try {
    rfd = openSync(path, 'r');
    wfd = openSync(path, 'w');
  } catch {
    throw new NoTerminalError(`${question.replace(/:\s*$/, '')}: no terminal to ask on`);
  }
  const input = new ReadStream(rfd);
  const output = new WriteStream(wfd);
  return new Promise<string>((resolve, reject) => {
    let answer = '';
    const finish = (err?: Error) => {
      input.setRawMode(false);
      input.removeAllListeners('data');
      output.write('\r\n');
      input.destroy();
      output.end();
      if (err) reject(err);
      else resolve(answer);
    };
    input.setRawMode(true);
    output.write(question);
    input.on('data', (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\x03') return finish(new NoTerminalError(`${question.replace(/:\s*$/, '')}: interrupted`));
        if (ch === '\x04' && answer === '') return finish(new NoTerminalError(`${question.replace(/:\s*$/, '')}: no answer`));
        if (ch === '\x7f' || ch === '\b') {
          if (echo && answer) output.write('\b \b');
          answer = answer.slice(0, -1);
        } else if (ch === '\x15') answer = ''; // Ctrl-U
        else if (ch >= ' ') {
          answer += ch;
          if (echo) output.write(ch); // vars_prompt with private: false shows what is typed
        }
      }
    });
  });
}

/**
 * The CLI's -k / -K: each asked once for the whole run, before any host is contacted. The answers are
 * registered with the redactor at once, so no output can show them.
 */
export async function askConnectionSecrets(defaults: ConnectionDefaults, redactor: Redactor,
  ask: (q: string) => Promise<string> = promptSecret): Promise<ConnectionSecrets> {
  const out: ConnectionSecrets = {};
  if (defaults.askPass) {
    out.password = await ask('SSH password: ');
    redactor.add(out.password);
  }
  if (defaults.askBecomePass) {
    // Ansible's wording; an empty answer means "same as the SSH password" there too
    const b = await ask(defaults.askPass ? 'BECOME password[defaults to SSH password]: ' : 'BECOME password: ');
    out.becomePassword = b === '' && out.password !== undefined ? out.password : b;
    redactor.add(out.becomePassword);
  }
  return out;
}
