// Dependencies that load at run time, when first needed (CommonJS, outside the bundle): resolved from
// this file, or from where the launch says the CLI lives when it starts from the start-up snapshot.
import { createRequire } from 'node:module';

let base: string | undefined = import.meta.url;
let requireFromBase: NodeJS.Require | undefined;

/** The file URL dependencies resolve from (the snapshot's start sets it: its code has no file of its own). */
export function setDependencyBase(fileUrl: string): void {
  base = fileUrl;
  requireFromBase = undefined;
}

export function requireDependency<T>(id: string): T {
  if (!base) throw new Error(`invariant: no base to load '${id}' from (the snapshot start sets it)`);
  return (requireFromBase ??= createRequire(base))(id) as T;
}
