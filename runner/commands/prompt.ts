// Questions on the terminal (/dev/tty, so piped stdin and stdout stay the program's), answered once.
// Hidden answers (passwords) are never echoed, never logged and never put on any argv.
import { spawnSync } from 'node:child_process';
import { openSync, closeSync, readSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';

function withTty<T>(fn: (fd: number) => T, what: string): T {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new UsageError(`${what} needs a terminal to ask on, and there is none`);
  }
  try {
    return fn(fd);
  } finally {
    closeSync(fd);
  }
}

function readLine(fd: number): string {
  const buf = Buffer.alloc(1);
  const bytes: number[] = [];
  for (;;) {
    const n = readSync(fd, buf, 0, 1, null);
    if (n === 0 || buf[0] === 0x0a) break;
    if (buf[0] !== 0x0d) bytes.push(buf[0]!);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Asks with echo off (stty -echo on the terminal), for a password. */
export function askHidden(question: string, what = question.trim()): string {
  return withTty((fd) => {
    const stty = (arg: string) => spawnSync('stty', [arg], { stdio: [fd, 'ignore', 'ignore'] });
    // echo goes off before the question shows, so nothing typed after it is ever echoed
    stty('-echo');
    writeSync(fd, question);
    try {
      return readLine(fd);
    } finally {
      stty('echo');
      writeSync(fd, '\n');
    }
  }, what);
}

/** Asks with echo on, for --step's answers. */
export function askLine(question: string, what = question.trim()): string {
  return withTty((fd) => {
    writeSync(fd, question);
    return readLine(fd);
  }, what);
}
