// apt_keyring: an apt signed-by keyring holding every allowed signing key.
// Probe (1 exec, read-only): keyring mode + fingerprints via `gpg --show-keys` (a throwaway GNUPGHOME,
// so nothing is created under /root). Decide: all allowed fingerprints present -> noop; otherwise one
// step downloads each key URL on the host, checks its fingerprints against the allowed list BEFORE
// importing, and imports it. A key whose fingerprint is not allowed is never imported (stderr says so);
// the step fails when an allowed fingerprint is still missing afterwards (a list/URL mismatch would
// otherwise report a change on every run).
import { defineModule, type Decision, type Step } from '../types.js';
import { quote } from '../../shell-quote.js';
import { resolveMode, formatMode, type ModeSpec } from '../mode.js';

export interface AptKeyringArgs {
  /** One key URL or several (e.g. DATADOG_APT_KEY_CURRENT.public and the pinned older keys). */
  url: string | string[];
  dest: string;
  /** Allowed key fingerprints (40 hex digits, spaces ignored). */
  fingerprints: string[];
  mode?: ModeSpec;
}

export interface AptKeyringProbe {
  exists: boolean;
  mode?: number;
  fingerprints: string[];
}

const MARK = '@@play@@';

export function normalizeFingerprint(f: string): string {
  return f.replace(/\s+/g, '').toUpperCase();
}

/** Fingerprints of primary keys (and subkeys) from `gpg --with-colons` output: the `fpr` records. */
export function parseColonFingerprints(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === 'fpr' && f[9]) out.push(f[9].toUpperCase());
  }
  return out;
}

export function probeScript(dest: string): string {
  return [
    `k=${quote(dest)}`,
    'if [ ! -f "$k" ]; then echo absent; exit 0; fi',
    'echo present; stat -c %a -- "$k"',
    `echo ${MARK}`,
    'if [ -s "$k" ]; then g=$(mktemp -d); GNUPGHOME=$g gpg --batch --show-keys --with-colons "$k" 2>/dev/null; rm -rf "$g"; fi',
  ].join('\n');
}

export function parseProbe(stdout: string): AptKeyringProbe {
  const [head = '', colons = ''] = stdout.split(`${MARK}\n`);
  const lines = head.split('\n');
  if (lines[0] !== 'present') return { exists: false, fingerprints: [] };
  return { exists: true, mode: parseInt(lines[1] ?? '0', 8), fingerprints: parseColonFingerprints(colons) };
}

/** The shell that fetches, verifies and imports keys. Allowed fingerprints are matched as whole words. */
export function importScript(args: AptKeyringArgs, mode: number): string {
  const urls = Array.isArray(args.url) ? args.url : [args.url];
  const allowed = args.fingerprints.map(normalizeFingerprint).join(' ');
  return [
    'set -u',
    `k=${quote(args.dest)}; allowed=${quote(allowed)}`,
    'g=$(mktemp -d); tmp=$(mktemp); trap \'rm -rf "$g" "$tmp"\' EXIT; export GNUPGHOME=$g',
    // An empty file makes gpg write the legacy keyring format apt's signed-by accepts (not keybox).
    'mkdir -p "$(dirname "$k")"; [ -f "$k" ] || touch "$k"',
    'imported=0',
    `for u in ${urls.map(quote).join(' ')}; do`,
    '  curl -fsSL --retry 3 -o "$tmp" "$u" || { echo "cannot download $u" >&2; exit 1; }',
    '  fprs=$(gpg --batch --show-keys --with-colons "$tmp" 2>/dev/null | awk -F: \'$1=="pub"{p=1;next} $1=="fpr"&&p{print $10;p=0}\')',
    '  [ -n "$fprs" ] || { echo "$u holds no OpenPGP key" >&2; exit 1; }',
    '  ok=1; for f in $fprs; do case " $allowed " in *" $f "*) ;; *) ok=0; echo "key $f from $u is not in the allowed fingerprints; not imported" >&2;; esac; done',
    '  if [ $ok = 1 ]; then gpg --batch --no-default-keyring --keyring "$k" --import "$tmp" 2>/dev/null || { echo "gpg import of $u failed" >&2; exit 1; }; imported=$((imported+1)); fi',
    'done',
    '[ $imported -gt 0 ] || { echo "no downloaded key was in the allowed list" >&2; exit 1; }',
    'rm -f "$k~"',
    'have=$(gpg --batch --show-keys --with-colons "$k" 2>/dev/null | awk -F: \'$1=="fpr"{print $10}\')',
    'for f in $allowed; do case " $(echo $have) " in *" $f "*) ;; *) echo "allowed key $f was not found at any key URL" >&2; exit 1;; esac; done',
    `chmod ${formatMode(mode)} "$k"`,
  ].join('\n');
}

export function decideAptKeyring(args: AptKeyringArgs, probe: AptKeyringProbe): Decision {
  const m = resolveMode(args.mode ?? '0644', probe.mode, false);
  if (!m.ok) return { kind: 'fail', msg: m.msg };
  const allowed = args.fingerprints.map(normalizeFingerprint);
  const bad = allowed.filter((f) => !/^[0-9A-F]{40}$/.test(f));
  if (bad.length > 0) return { kind: 'fail', msg: `fingerprints must be 40 hex digits: ${bad.join(', ')}` };
  const have = new Set(probe.fingerprints);
  const missing = allowed.filter((f) => !have.has(f));
  const steps: Step[] = [];
  if (missing.length > 0) {
    steps.push({ kind: 'exec', describe: `import allowed keys into ${args.dest}`, cmd: importScript(args, m.mode) });
  } else if (probe.mode !== m.mode) {
    steps.push({ kind: 'exec', describe: `chmod ${formatMode(m.mode)} ${args.dest}`, cmd: `chmod ${formatMode(m.mode)} ${quote(args.dest)}` });
  }
  if (steps.length === 0) {
    return { kind: 'noop', reason: `${args.dest} holds all ${allowed.length} allowed key(s), mode ${formatMode(m.mode)}` };
  }
  const summary = missing.length > 0
    ? `${args.dest}: import keys (missing ${missing.map((f) => f.slice(-8)).join(', ')})`
    : `${args.dest}: mode ${probe.mode !== undefined ? formatMode(probe.mode) : '?'} -> ${formatMode(m.mode)}`;
  return { kind: 'change', summary, steps };
}

export const aptKeyringModule = defineModule<AptKeyringArgs, AptKeyringProbe>({
  name: 'apt_keyring',
  schema: {
    type: 'object',
    required: ['url', 'dest', 'fingerprints'],
    additionalProperties: false,
    properties: {
      url: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }] },
      dest: { type: 'string', pattern: '^/' },
      fingerprints: { type: 'array', minItems: 1, items: { type: 'string' } },
      mode: { type: ['string', 'integer'] },
    },
  },
  async probe(args, ctx) {
    const r = await ctx.conn.exec(probeScript(args.dest));
    return parseProbe(r.stdout);
  },
  decide(args, probe) {
    return decideAptKeyring(args, probe);
  },
});
