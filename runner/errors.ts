// Real failures are small Error subclasses carrying a code; expected failures are values.
import type { Diagnostic } from './types.js';

/** Input that does not load or validate. Carries every diagnostic found. */
export class LoadError extends Error {
  readonly code = 'E_LOAD';
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'LoadError';
  }
}

/** Wrong command-line use. */
export class UsageError extends Error {
  readonly code = 'E_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The transport to a host is lost or could not be opened. */
export class ConnectionError extends Error {
  readonly code = 'E_CONNECTION';
  constructor(readonly host: string, message: string) {
    super(`${host}: ${message}`);
    this.name = 'ConnectionError';
  }
}

/** A template or condition failed at run time (undefined variable, bad helper use). */
export class RenderError extends Error {
  readonly code = 'E_RENDER';
  constructor(message: string, readonly where?: string) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'RenderError';
  }
}

/** The state store is held by another run, or cannot be written. */
export class StateError extends Error {
  readonly code = 'E_STATE';
  constructor(message: string) {
    super(message);
    this.name = 'StateError';
  }
}

/**
 * A broken invariant of play itself: the only error that is not a host's failed result. Even then
 * the executor prints the recap and flushes the store before it is reported as an internal error.
 */
export class InvariantError extends Error {
  readonly code = 'E_INVARIANT';
  constructor(message: string) {
    super(`invariant: ${message}`);
    this.name = 'InvariantError';
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.message}`;
}

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
