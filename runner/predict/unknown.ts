// "Known after apply": a value only a real run would produce (a command's registered stdout under
// --check). Reading it throws UnknownValueError, which the executor turns into an `unknown` outcome
// naming the task the value depends on. Engine-agnostic: any read of the value is caught, by the
// template engine, the condition evaluator or the args schema check alike.
import { RenderError } from '../errors.js';

export class UnknownValueError extends RenderError {
  constructor(readonly dependsOn: string, readonly what: string, where?: string) {
    super(`${what} is unknown until applied (depends on '${dependsOn}')`, where);
    this.name = 'UnknownValueError';
  }
}

const UNKNOWN = Symbol('play.unknown');

/**
 * A stand-in for a registered result (or set_fact value) that --check cannot know. `known` keys
 * read as given (a command that would run is `changed`); every other read throws.
 */
export function unknownValue(dependsOn: string, name: string, known: Record<string, unknown> = {}): Record<string, unknown> {
  const target: Record<string, unknown> = { ...known };
  Object.defineProperty(target, UNKNOWN, { value: dependsOn, enumerable: false });
  const fail = (key: PropertyKey): never => {
    throw new UnknownValueError(dependsOn, typeof key === 'string' ? `${name}.${key}` : name);
  };
  return new Proxy(target, {
    get: (t, k) => (k === UNKNOWN || (typeof k === 'string' && Object.hasOwn(t, k)) ? t[k as string] : fail(k)),
    has: (t, k) => (k === UNKNOWN || (typeof k === 'string' && Object.hasOwn(t, k)) ? true : fail(k)),
    getOwnPropertyDescriptor: (t, k) => (k === UNKNOWN || (typeof k === 'string' && Object.hasOwn(t, k)) ? Object.getOwnPropertyDescriptor(t, k) : fail(k)),
    ownKeys: () => fail('*'),
    set: () => fail('='),
  });
}

/** The task an unknown value depends on, when v is one (without touching its unknown parts). */
export function unknownDependency(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  try {
    return (v as { [UNKNOWN]?: string })[UNKNOWN];
  } catch {
    return undefined;
  }
}

/** The UnknownValueError behind err, also when an engine wrapped it (Error.cause). */
export function asUnknown(err: unknown): UnknownValueError | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof UnknownValueError) return e;
  }
  return undefined;
}

/** check-mode summary of an unknown outcome: Terraform's "known after apply". */
export function unknownSummary(dependsOn: string, detail?: string): string {
  return `would change (unknown until applied: depends on '${dependsOn}')${detail ? `; ${detail}` : ''}`;
}
