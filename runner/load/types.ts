// What loadProject hands to compilePlan: every file already read, positions kept. Pure data.
import type { ModuleDef } from '../modules/types.js';
import type { PlayRunKeywords, SharedExecKeywords, SourcePos, Vars } from '../types.js';

/** Modules come in by injection so tests can use small fakes. */
export interface ModuleSource {
  getModule(name: string): ModuleDef | undefined;
  moduleNames(): string[];
}

/** Keywords shared by tasks and blocks, as written (schema-checked). */
export interface RawKeywords extends SharedExecKeywords {
  name?: string;
  when?: unknown;
  tags?: unknown;
  become?: boolean;
  become_user?: string;
  environment?: Record<string, unknown>;
  no_log?: boolean;
  ignore_errors?: boolean;
  cache?: boolean;
  vars?: Record<string, unknown> | null;
  loop?: unknown;
  with_items?: unknown;
  register?: string;
  notify?: unknown;
  listen?: unknown;
  changed_when?: unknown;
  failed_when?: unknown;
  until?: unknown;
  timeout?: number;
  retries?: number;
  delay?: number;
}

interface RawCommon {
  /** Display path of the file the task is written in. */
  file: string;
  /** Id prefix: the role name, or the playbook-relative path of the file. */
  idPrefix: string;
  src: SourcePos;
  /** Value positions of the task's keys (when, src, ...). */
  pos: Record<string, SourcePos>;
  role?: string;
  baseDir: string;
  kw: RawKeywords;
  /** Conditions and tags inherited from import_tasks / role entries, outermost first. */
  inheritedWhen: string[];
  inheritedTags: string[];
  /** Vars of enclosing import_tasks entries. */
  inheritedVars: Vars;
}

/** A controller file a task refers to by a literal `src:`; its text is kept for .hbs templates. */
export interface ControllerFile {
  kind: 'templates' | 'files';
  path: string;
  display: string;
  text?: string;
}

export interface RawTask extends RawCommon {
  kind: 'task';
  /** The module's canonical name (ModuleDef.name). */
  module: string;
  /** Module arguments after normalize(). */
  args: unknown;
  /** Position of the module key's value, where argument problems are reported. */
  argsPos: SourcePos;
  controllerFile?: ControllerFile;
  /** Variables the task sets for later tasks, found when loading (include_vars: its files' keys). */
  defines?: string[];
}

export interface RawBlock extends RawCommon {
  kind: 'block';
  block: RawItem[];
  rescue: RawItem[];
  always: RawItem[];
  /** Set when the block is a dynamic include_tasks / include_role (its `when` holds once, its loop repeats it). */
  include?: RawInclude;
  /** One candidate of a templated include: the file it is. */
  includeFile?: string;
  /** Problems of a candidate file: reported on a host that picks it, as Ansible would (not when loading). */
  includeErrors?: string[];
  /** An include_role / import_role: the role whose defaults, vars and handlers join the play. */
  roleInclude?: RoleInclude;
}

export interface RawInclude {
  action: 'include_tasks' | 'include_role';
  /** The file (or role) as written; with `{{` its children are the candidates it may render to. */
  file: string;
  templated: boolean;
  /** Directories a rendered relative name is resolved against, in order. */
  dirs: string[];
  /** `apply: {tags}`: tags the included tasks get (the include's own tags are its own). */
  applyTags: string[];
}

export interface RoleInclude {
  name: string;
  /** defaults_from / vars_from files, when given (else the role's main files). */
  defaults?: Vars;
  vars?: Vars;
}

export type RawItem = RawTask | RawBlock;

/** One use of a role in a play, dependencies first. */
export interface RoleUse {
  name: string;
  params: Vars;
  tags: string[];
  when: string[];
  /** Where the role is referenced (play roles: entry or meta dependency). */
  src: SourcePos;
}

export interface LoadedRole {
  name: string;
  /** Absolute role directory: files/ and templates/ live here; its files join fingerprints. */
  dir: string;
  defaults: Vars;
  vars: Vars;
  tasks: RawItem[];
  handlers: RawTask[];
  dependencies: Array<{ name: string; params: Vars; tags: string[]; when: string[]; src: SourcePos }>;
  varsSchema?: { file: string; schema: Record<string, unknown> };
  /** Absolute paths of every file read for this role. */
  files: string[];
}

export interface RawPlay extends PlayRunKeywords {
  name: string;
  src: SourcePos;
  file: string;
  pattern: string;
  hostsPos: SourcePos;
  vars: Vars;
  /** vars_files merged in order (they override play vars). */
  varsFromFiles: Vars;
  tags: string[];
  roles: RoleUse[];
  preTasks: RawItem[];
  tasks: RawItem[];
  postTasks: RawItem[];
  handlers: RawTask[];
}

export interface LoadedProject {
  /** Playbook path as given (display form). */
  playbook: string;
  /** Absolute directory of the playbook. */
  baseDir: string;
  plays: RawPlay[];
  roles: Map<string, LoadedRole>;
  /** Absolute paths of every file read (playbook, vars_files, task files, templates). */
  files: string[];
  /** Set when loading had problems: names the items left out may define (the compiler must not call them undefined). */
  lost?: { names: string[]; topics: string[]; any: boolean };
}
