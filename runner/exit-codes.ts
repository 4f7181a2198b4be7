// Exit codes (documented in the README). The recap decides the code of a run that executed.
import type { HostTally } from './events.js';

export const EXIT = {
  ok: 0,
  internal: 1,
  hostFailed: 2,
  hostUnreachable: 3,
  invalidInput: 4,
  usage: 5,
  stateBusy: 6,
  /** --check --detailed-exitcode: nothing would fail, but changes (or unknowns) are pending (Terraform's 2). */
  changesPending: 7,
  interrupted: 130,
} as const;

/** `pending`: a --check run with --detailed-exitcode, where pending changes get their own code. */
export function exitCodeFor(hosts: Record<string, HostTally>, interrupted: boolean, pending = false): number {
  if (interrupted) return EXIT.interrupted;
  const tallies = Object.values(hosts);
  if (tallies.some((t) => t.failed > 0)) return EXIT.hostFailed;
  if (tallies.some((t) => t.unreachable > 0)) return EXIT.hostUnreachable;
  if (pending && tallies.some((t) => t.changed > 0 || t.unknown > 0)) return EXIT.changesPending;
  return EXIT.ok;
}
