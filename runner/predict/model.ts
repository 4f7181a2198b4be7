// --check's predicted state: per host, what the tasks so far would have left there. Pure data:
// modules say what a change would produce (ModuleDef.predict), later probes are overlaid with it
// (ModuleDef.overlay) before decide(). docs/check-mode.md describes the model and its limits.
import { posix } from 'node:path';
import { assertNever } from '../errors.js';

export type PathFact =
  | { kind: 'absent' }
  | { kind: 'file'; sha256?: string; content?: Buffer; size?: number; mode?: number; owner?: string; group?: string }
  /** `fresh`: the directory would be created, so nothing below it exists but what the model holds. */
  | { kind: 'directory'; fresh: boolean; mode?: number; owner?: string; group?: string }
  | { kind: 'link'; target: string; owner?: string; group?: string }
  /** Something would be there, of a kind only a real run tells (a command's `creates`). */
  | { kind: 'exists' };

export interface UserFact { exists: boolean; uid?: number; group?: string; groups?: string[]; home?: string; shell?: string; comment?: string }
export interface GroupFact { exists: boolean; gid?: number }
export interface PackageFact { installed: boolean; version?: string }
export interface ServiceFact { active?: boolean; enabled?: boolean }

/** What one change would produce. A module that cannot say returns `opaque` (or has no predict hook). */
export type PredictedEffect =
  | { kind: 'path'; path: string; fact: PathFact }
  | { kind: 'user'; name: string; fact: UserFact }
  | { kind: 'group'; name: string; fact: GroupFact }
  | { kind: 'package'; name: string; fact: PackageFact }
  | { kind: 'service'; name: string; fact: ServiceFact }
  /** The change also does what the model cannot follow: a command's effects, a package's files. */
  /**
   * `paths: true`: it may also create or remove paths nobody can name (a package whose files are not
   * known, a module without a predict hook): a path the host shows absent is then unknown.
   */
  | { kind: 'opaque'; what: string; paths?: boolean; under?: string };

/** A fact and the task whose predicted change produced it. */
export interface Known<F> { fact: F; by: string }

/** `under`: the change is confined to that directory (a copied tree); it cannot explain other failures. */
export interface Opaque { by: string; what: string; paths: boolean; under?: string }

/** Who a task runs as (become user, else login user): the owner of what it would create. */
export interface Actor { user: string; group?: string }

export const normPath = (p: string): string => {
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
};

export class PredictedState {
  private readonly paths = new Map<string, Known<PathFact>>();
  private readonly users = new Map<string, Known<UserFact>>();
  private readonly groups = new Map<string, Known<GroupFact>>();
  private readonly packages = new Map<string, Known<PackageFact>>();
  private readonly services = new Map<string, Known<ServiceFact>>();
  private readonly opaques: Opaque[] = [];
  /** The latest task that would start, stop or restart something, or make an opaque change. */
  private runtimeBy?: string;

  /**
   * What the model knows of a path: its own entry, or absent when an ancestor would be absent, a
   * file, or a directory this run would create. Undefined: ask the host.
   */
  path(p: string): Known<PathFact> | undefined {
    if (!p.startsWith('/')) return undefined;
    const path = normPath(p);
    const own = this.paths.get(path);
    if (own) return own;
    for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
      const up = this.paths.get(dir);
      if (up) {
        const f = up.fact;
        if (f.kind === 'absent' || f.kind === 'file' || (f.kind === 'directory' && f.fresh)) return { fact: { kind: 'absent' }, by: up.by };
        return undefined;
      }
      if (dir === '/') return undefined;
    }
  }

  /** Whether the directory would exist: true/false when the model knows, undefined to ask the host. */
  dirExists(p: string): Known<boolean> | undefined {
    const k = this.path(p);
    if (!k) return undefined;
    return { fact: k.fact.kind === 'directory' || (k.fact.kind === 'exists'), by: k.by };
  }

  user(name: string): Known<UserFact> | undefined { return this.users.get(name); }
  group(name: string): Known<GroupFact> | undefined { return this.groups.get(name); }
  pkg(name: string): Known<PackageFact> | undefined { return this.packages.get(name); }
  service(name: string): Known<ServiceFact> | undefined { return this.services.get(name); }

  /** Changes the model cannot follow, oldest first. */
  opaque(): readonly Opaque[] { return this.opaques; }

  /** The latest unconfined change the model cannot follow: what an unexpected failure may depend on. */
  lastOpaque(): Opaque | undefined {
    for (let i = this.opaques.length - 1; i >= 0; i--) if (this.opaques[i]!.under === undefined) return this.opaques[i];
    return undefined;
  }

  /** The latest change that may have made paths the model cannot name, `p` among them. */
  pathsOpaque(p: string): Opaque | undefined {
    const path = normPath(p);
    for (let i = this.opaques.length - 1; i >= 0; i--) {
      const o = this.opaques[i]!;
      if (o.paths && (o.under === undefined || path === o.under || path.startsWith(o.under + '/'))) return o;
    }
    return undefined;
  }

  /** What a port or a process on the host depends on: the latest service change or opaque change. */
  runtimeChangedBy(): string | undefined {
    return this.runtimeBy;
  }

  /** Whether `by` made a change the model cannot follow (a package's maintainer scripts). */
  isOpaque(by: string): boolean {
    return this.opaques.some((o) => o.by === by);
  }

  /** Applies one task's predicted effects. */
  apply(effects: readonly PredictedEffect[], by: string, actor: Actor): void {
    for (const e of effects) {
      switch (e.kind) {
        case 'path': this.setPath(e.path, e.fact, by, actor); break;
        case 'user': this.users.set(e.name, { fact: e.fact, by }); break;
        case 'group': this.groups.set(e.name, { fact: e.fact, by }); break;
        case 'package': this.packages.set(e.name, { fact: e.fact, by }); break;
        case 'service': this.services.set(e.name, { fact: { ...this.services.get(e.name)?.fact, ...e.fact }, by }); this.runtimeBy = by; break;
        case 'opaque':
          this.opaques.push({ by, what: e.what, paths: e.paths === true, ...(e.under !== undefined ? { under: normPath(e.under) } : {}) });
          if (e.under === undefined) this.runtimeBy = by;
          break;
        default: assertNever(e, 'predicted effect');
      }
    }
  }

  private setPath(p: string, fact: PathFact, by: string, actor: Actor): void {
    if (!p.startsWith('/')) return;
    const path = normPath(p);
    if (fact.kind === 'absent' || fact.kind === 'file' || fact.kind === 'link') {
      for (const k of [...this.paths.keys()]) if (k.startsWith(path + '/')) this.paths.delete(k);
    }
    this.paths.set(path, { fact, by });
    if (fact.kind === 'absent') return;
    // Writing a path implies its parents (mkdir -p, or they were there): made ones get umask 022 and the actor.
    for (let dir = posix.dirname(path); dir !== '/'; dir = posix.dirname(dir)) {
      const up = this.path(dir);
      if (up && (up.fact.kind === 'directory' || up.fact.kind === 'exists' || up.fact.kind === 'link')) break;
      const mine = up !== undefined; // known absent (or a file): mkdir -p would create it
      this.paths.set(dir, { fact: { kind: 'directory', fresh: mine, mode: mine ? 0o755 : undefined, owner: mine ? actor.user : undefined, group: mine ? actor.group : undefined }, by });
    }
  }
}
