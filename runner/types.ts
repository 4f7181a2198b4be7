// Shared domain types. Pure data: no I/O lives here.

/** A place in a source file, 1-based line and column. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** One problem found while loading or validating input. */
export interface Diagnostic extends SourcePos {
  message: string;
}

export type Vars = Record<string, unknown>;

// ---------- inventory ----------

export interface InventoryHost {
  name: string;
  /** Groups the host belongs to, directly or through parents, always including "all". */
  groups: string[];
  /** Host variables merged by precedence (group vars all < parents < children < host vars). */
  vars: Vars;
  /** Keys of `vars` set at run time from already rendered values (add_host): data, never templates. */
  dataKeys?: string[];
  src?: SourcePos;
  /** The implicit localhost (not in the inventory): only a pattern that names it matches it, never `all`. */
  implicit?: boolean;
}

export interface InventoryGroup {
  name: string;
  hosts: string[];
  children: string[];
  vars: Vars;
}

export interface Inventory {
  file: string;
  hosts: Map<string, InventoryHost>;
  groups: Map<string, InventoryGroup>;
}

/**
 * How to reach a host: its ansible_* variables over the CLI's ConnectionDefaults over ssh_config
 * over OpenSSH's defaults (see docs/ssh.md). Built by connectionSpec(), pure.
 */
export interface ConnectionSpec {
  host: string;
  kind: 'ssh' | 'local';
  address: string;
  port: number;
  user: string;
  /** The first of identityFiles, kept for callers that name one key. */
  privateKeyFile?: string;
  /** Keys to offer after the agent's, in order; empty: OpenSSH's default ~/.ssh/id_* files. */
  identityFiles?: string[];
  /** Offer only identityFiles (and the agent's copies of them), as IdentitiesOnly=yes. */
  identitiesOnly?: boolean;
  /** ssh_config IdentityAgent: the agent socket ('none': no agent); default SSH_AUTH_SOCK. */
  identityAgent?: string;
  /** SSH password (ansible_password or -k); masked like every secret. */
  password?: string;
  /** sudo password (ansible_become_password or -K); reaches sudo on stdin only. */
  becomePassword?: string;
  /** ansible_become / -b, and ansible_become_user / --become-user: below the play's and task's keywords. */
  become?: boolean;
  becomeUser?: string;
  /** ProxyJump hops, first hop first; each is verified against known_hosts on its own. */
  jumps?: ConnectionSpec[];
  connectTimeoutSec?: number;
  serverAliveIntervalSec?: number;
  /** From ansible_ssh_common_args: wins over the run's --ssh-host-key-check / --known-hosts. */
  hostKeyCheck?: 'strict' | 'accept-new' | 'off';
  knownHostsFiles?: string[];
  /** From ssh_config: loses to the run's --ssh-host-key-check / --known-hosts. */
  configHostKeyCheck?: 'strict' | 'accept-new' | 'off';
  configKnownHostsFiles?: string[];
  /** A setting play cannot honour (ssh_config ProxyCommand, a bad rendered ansible_ssh_common_args): connecting fails with it. */
  problem?: string;
}

/**
 * The answers to -k and -K, asked once per run on the terminal (runner/connection/prompt.ts,
 * askConnectionSecrets). They are defaults like ConnectionDefaults: ansible_password and
 * ansible_become_password win over them.
 */
export interface ConnectionSecrets {
  password?: string;
  becomePassword?: string;
}

/**
 * Connection and become settings from the command line (-u, --private-key, -k, -c, -T,
 * --ssh-common-args, -b, --become-user, -K) or ansible.cfg. As in Ansible, they are defaults:
 * a host's own ansible_* variables win over them. The CLI fills this in; connectionSpec() and the
 * SSH layer consume it.
 */
export interface ConnectionDefaults {
  user?: string;
  privateKeyFile?: string;
  sshCommonArgs?: string;
  connection?: 'ssh' | 'local';
  /** Connect timeout in seconds (-T). */
  timeoutSec?: number;
  /** -k: prompt once for the SSH password. */
  askPass?: boolean;
  become?: boolean;
  becomeUser?: string;
  /** -K: prompt once for the become (sudo) password. */
  askBecomePass?: boolean;
}

// ---------- plan ----------

export interface TaskCommon {
  /** Stable identity: role or file relative path plus the task's position and name. */
  id: string;
  name: string;
  src: SourcePos;
  role?: string;
  /** Directory of the role (or playbook) used to resolve files/ and templates/. */
  baseDir: string;
  when: string[];
  tags: string[];
  /** May be a template, like the other keywords: `keywords` holds them as written, for the executor. */
  become?: boolean | string;
  becomeUser?: string;
  environment?: Vars;
  noLog: boolean | string;
  ignoreErrors: boolean | string;
  /** The keywords the executor reads, as written (execute/keywords.ts renders them per host). */
  keywords?: ExecKeywords;
  /** false when the task opts out of the state record (`cache: false`). */
  cache: boolean;
  /** Task or block `vars:`, not yet rendered. */
  vars?: Vars;
}

export interface PlanTask extends TaskCommon {
  kind: 'task';
  module: string;
  /** Module arguments, not yet rendered. */
  args: unknown;
  loop?: unknown;
  /** How `loop` becomes items: 'loop' (the default) or the lookup of a `with_<lookup>:` (runner/compile/loops.ts). */
  loopWith?: LoopWith;
  loopControl?: LoopControl;
  register?: string;
  notify: string[];
  changedWhen?: string[];
  failedWhen?: string[];
  timeoutSec?: number;
  retries?: number;
  until?: string[];
  delaySec?: number;
  /** For handlers: the topics this handler listens to besides its name. */
  listen?: string[];
}

/**
 * Execution keywords as written in a play, block or task (Ansible's names). A string value may be
 * a template: it is rendered with the task's vars on each host when the task runs. Inner levels
 * win (task > block > play).
 */
export interface ExecKeywords extends SharedExecKeywords {
  become?: boolean | string;
  become_user?: string;
  environment?: Vars;
  no_log?: boolean | string;
  ignore_errors?: boolean | string;
}

/** The execution keywords whose written form is also their planned form (RawKeywords shares them). */
export interface SharedExecKeywords {
  become_method?: string;
  remote_user?: string;
  /** local (the controller) or ssh; a host's ansible_connection wins. */
  connection?: string;
  check_mode?: boolean | string;
  diff?: boolean | string;
  delegate_to?: string;
  delegate_facts?: boolean | string;
  run_once?: boolean | string;
  any_errors_fatal?: boolean | string;
  /** At most this many hosts run the task at once (below --forks). */
  throttle?: number | string;
  /** By module name or FQCN; a list of such maps is merged in order. */
  module_defaults?: Vars | Vars[];
}

/** One `vars_prompt` entry of a play. */
export interface VarsPrompt {
  name: string;
  prompt: string;
  private: boolean;
  default?: unknown;
  src: SourcePos;
}

/** `loop:` or the lookup of a `with_<lookup>:` loop (with_items -> 'items'). */
export type LoopWith = 'loop' | 'items' | 'list' | 'dict' | 'fileglob' | 'first_found' | 'together' | 'sequence' | 'nested' | 'indexed_items' | 'subelements';

/** Ansible's loop_control. */
export interface LoopControl {
  /** The item's variable name (default `item`). */
  loopVar?: string;
  /** A variable holding the item's 0-based index. */
  indexVar?: string;
  /** What results and output show for an item instead of the item itself (a template). */
  label?: string;
  /** Seconds to wait between items. */
  pause?: number;
  /** ansible_loop with index, revindex, first, last, length, previtem, nextitem (and allitems unless extended_allitems: false). */
  extended?: boolean;
  extendedAllitems?: boolean;
}

export interface PlanBlock extends TaskCommon {
  kind: 'block';
  block: PlanItem[];
  rescue: PlanItem[];
  always: PlanItem[];
  /** A dynamic include (include_tasks / include_role): see PlanInclude. */
  include?: PlanInclude;
  /** A candidate of a templated include: the absolute file it stands for. */
  includeFile?: string;
  /** The candidate's load problems: a host that picks it fails with them (its tasks are not in the plan). */
  includeErrors?: string[];
}

/**
 * include_tasks / include_role, run when reached: its `when` holds once per host (and item), its
 * loop repeats the included tasks per item, and a templated file name picks, per host, the child
 * block whose includeFile it renders to (every candidate was loaded and checked beforehand).
 */
export interface PlanInclude {
  action: 'include_tasks' | 'include_role';
  file: string;
  templated: boolean;
  /** Where a rendered relative name is resolved, in order. */
  dirs: string[];
  loop?: unknown;
  loopWith?: LoopWith;
  loopControl?: LoopControl;
}

export type PlanItem = PlanTask | PlanBlock;

/** How a play runs its hosts, as written (templates allowed): the loader reads it, the plan keeps it. */
export interface PlayRunKeywords {
  gatherFacts: boolean;
  become?: boolean | string;
  becomeUser?: string;
  /** serial: a count, a percentage ("30%"), or a list of them (the last one repeats). */
  serial?: number | string | Array<number | string>;
  /** Play-level execution keywords (load/exec-keywords.ts). */
  keywords?: ExecKeywords;
  maxFailPercentage?: number;
  varsPrompt?: VarsPrompt[];
  /** The order hosts run in: inventory (default), reverse_inventory, sorted, reverse_sorted, shuffle. */
  order?: 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted' | 'shuffle';
}

export interface PlanPlay extends PlayRunKeywords {
  name: string;
  src: SourcePos;
  /** The host pattern as written. */
  pattern: string;
  /** Hosts the pattern selected, after --limit, in inventory order. */
  hosts: string[];
  /** Set when the pattern matches no host: the warning that the play is skipped (as in Ansible). */
  noMatch?: string;
  vars: Vars;
  /** Role defaults of every role in the play, merged in role order (lowest precedence). */
  roleDefaults: Vars;
  /** Role vars of every role in the play, merged in role order. */
  roleVars: Vars;
  tasks: PlanItem[];
  handlers: PlanTask[];
  roles: string[];
}

export interface Plan {
  playbook: string;
  /** Absolute directory of the playbook (playbook_dir); `playbook` is shown as given. */
  playbookDir?: string;
  plays: PlanPlay[];
  inventory: Inventory;
  extraVars: Vars;
  /** --limit, applied again when a play re-selects its hosts at run time. */
  limit?: string;
  /** --shard I/N (inventory/shard.ts), applied after the limit. */
  shard?: { index: number; count: number };
}

// ---------- results ----------

export type SkipWhy = 'condition' | 'done-before' | 'tag' | 'role-filter' | 'host-failed';

export type Outcome =
  | { status: 'ok'; reason: string }
  | { status: 'changed'; summary: string; diff?: string }
  /** --check only: the outcome depends on a value only a real run would produce (docs/check-mode.md). */
  | { status: 'unknown'; summary: string; dependsOn: string }
  | { status: 'failed'; msg: string }
  | { status: 'skipped'; why: SkipWhy; detail: string }
  | { status: 'unreachable'; msg: string };

export type OutcomeStatus = Outcome['status'];

/** An inventory as loaded and schema-checked, before groups are resolved (see runner/inventory/). */
export interface RawInventory {
  file: string;
  /** The inventory YAML document: `{ all: { hosts, children, vars } }` or top-level groups. */
  data: unknown;
  /** group_vars/<group>.yml (or <group>/*.yml) next to the inventory, by group name. */
  groupVars: Record<string, Vars>;
  /** host_vars/<host>.yml next to the inventory, by host name. */
  hostVars: Record<string, Vars>;
  /** Where each host is first declared, for error messages. */
  hostPos: Record<string, SourcePos>;
  /** Where each group is first declared (optional: built inventories have none). */
  groupPos?: Record<string, SourcePos>;
}

/** group_vars/ and host_vars/ of one directory (an inventory source's, or the playbook's). */
export interface VarsLayer {
  groupVars: Record<string, Vars>;
  hostVars: Record<string, Vars>;
}
