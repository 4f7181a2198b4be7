// File modes as Ansible accepts them: '0640', '640', 0o640 (number: the bits), 'u=rw,g=r,o='. Pure.

export type ModeSpec = string | number;

export type ModeResult = { ok: true; mode: number } | { ok: false; msg: string };

const SYMBOLIC = /^[ugoa]*([-+=][rwxXst]*)+$/;

/**
 * A number is the mode itself, as in Ansible (0o640 === 416; YAML's 0640 is read as that octal).
 * A literal such as `mode: 644` is refused at load time (runner/load/yaml11.ts), so a number here
 * is the permission bits, whatever its digits look like.
 */
function fromNumber(n: number): ModeResult {
  if (!Number.isInteger(n) || n < 0) return { ok: false, msg: `mode ${n} is not a valid file mode` };
  if (n > 0o7777) return { ok: false, msg: `mode ${n} is out of range (above 0o7777)` };
  return { ok: true, mode: n };
}

/** Resolves a mode spec against the current mode (symbolic modes need it) and the file kind. */
export function resolveMode(spec: ModeSpec, current: number | undefined, isDir: boolean): ModeResult {
  if (typeof spec === 'number') return fromNumber(spec);
  const s = spec.trim();
  if (/^0?o?[0-7]{1,4}$/.test(s)) return { ok: true, mode: parseInt(s.replace(/^0?o/, ''), 8) };
  const base = current ?? (isDir ? 0o755 : 0o644);
  let mode = base;
  for (const clause of s.split(',')) {
    if (!SYMBOLIC.test(clause)) return { ok: false, msg: `mode '${spec}' is neither octal nor symbolic (u=rw,g=r,o=)` };
    const who = /^[ugoa]*/.exec(clause)![0];
    const users = who === '' || who.includes('a') ? 'ugo' : who;
    for (const m of clause.slice(who.length).matchAll(/([-+=])([rwxXst]*)/g)) {
      const op = m[1]!;
      const perms = m[2]!;
      let bits = 0;
      let clear = 0;
      for (const u of users) {
        const shift = u === 'u' ? 6 : u === 'g' ? 3 : 0;
        clear |= 0o7 << shift;
        if (u === 'u') clear |= 0o4000;
        if (u === 'g') clear |= 0o2000;
        for (const p of perms) {
          if (p === 'r') bits |= 4 << shift;
          else if (p === 'w') bits |= 2 << shift;
          else if (p === 'x') bits |= 1 << shift;
          else if (p === 'X' && (isDir || (mode & 0o111) !== 0)) bits |= 1 << shift;
          else if (p === 's' && u === 'u') bits |= 0o4000;
          else if (p === 's' && u === 'g') bits |= 0o2000;
          else if (p === 't' && u === 'o') bits |= 0o1000;
        }
      }
      if (op === '+') mode |= bits;
      else if (op === '-') mode &= ~bits;
      else mode = (mode & ~clear) | bits;
    }
  }
  return { ok: true, mode };
}

/** 0o640 -> "0640". */
export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}
