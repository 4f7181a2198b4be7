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
  interrupted: 130,
} as const;

export function exitCodeFor(hosts: Record<string, HostTally>, interrupted: boolean): number {
  if (interrupted) return EXIT.interrupted;
  const tallies = Object.values(hosts);
  if (tallies.some((t) => t.failed > 0)) return EXIT.hostFailed;
  if (tallies.some((t) => t.unreachable > 0)) return EXIT.hostUnreachable;
  return EXIT.ok;
}
