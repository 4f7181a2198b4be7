// include_vars dir=: which files of the directory are read, in which order, as Ansible 2.14's
// include_vars action picks them (pure; the module and the loader both use it). Its quirks are
// kept on purpose: `depth` counts directories in sorted walk order (not levels), files_matching
// is searched in the file name, ignore_files are patterns anchored at the end of the name, and a
// file with another extension fails the task unless ignore_unknown_extensions is set.

export interface VarsDirOptions {
  depth?: number;
  files_matching?: string;
  ignore_files?: string | string[];
  extensions?: string | string[];
  ignore_unknown_extensions?: boolean;
}

export const VARS_EXTENSIONS = ['json', 'yaml', 'yml'];

export type VarsDirPick = { ok: true; files: string[] } | { ok: false; msg: string };

function pyRegex(p: string, what: string): RegExp | string {
  try {
    return new RegExp(p);
  } catch {
    return `Invalid regular expression: ${what === 'ignore_files' ? p : p}`;
  }
}

const dirOf = (rel: string) => (rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '');
const baseOf = (rel: string) => rel.slice(rel.lastIndexOf('/') + 1);

/** `files`: paths relative to the directory of every regular file in it; `dirs`: its subdirectories. */
export function pickVarsFiles(files: string[], dirs: string[], o: VarsDirOptions, root: string): VarsDirPick {
  const depth = o.depth ?? 0;
  // a str is list(str) in Python: its characters
  const exts = o.extensions === undefined ? VARS_EXTENSIONS : typeof o.extensions === 'string' ? [...o.extensions] : o.extensions;
  const ignores = o.ignore_files === undefined ? [] : typeof o.ignore_files === 'string' ? o.ignore_files.split(/\s+/).filter(Boolean) : o.ignore_files;
  const matcher = o.files_matching ? pyRegex(o.files_matching, 'files_matching') : undefined;
  if (typeof matcher === 'string') return { ok: false, msg: matcher };
  const ignoreRes: RegExp[] = [];
  for (const p of ignores) {
    const re = pyRegex(`${p}$`, 'ignore_files');
    if (typeof re === 'string') return { ok: false, msg: `Invalid regular expression: ${p}` };
    ignoreRes.push(re);
  }
  const join = (d: string) => (d ? `${root}/${d}` : root);
  // os.walk's tuples sorted by their root path
  const walk = ['', ...dirs].sort((a, b) => (join(a) < join(b) ? -1 : join(a) > join(b) ? 1 : 0));
  const out: string[] = [];
  let n = 0;
  for (const d of walk) {
    n++;
    if (depth !== 0 && n > depth) break;
    const names = files.filter((f) => dirOf(f) === d).map(baseOf).sort();
    for (const name of names) {
      if (matcher && !matcher.test(name)) continue;
      if (ignoreRes.some((re) => re.test(name))) continue;
      const dot = name.lastIndexOf('.');
      const ext = dot > 0 ? name.slice(dot + 1) : '';
      const valid = exts.includes(ext);
      if (!valid) {
        if (o.ignore_unknown_extensions === true) continue;
        return { ok: false, msg: `${join(d)}/${name} does not have a valid extension: ${exts.join(', ')}` };
      }
      out.push(d ? `${d}/${name}` : name);
    }
  }
  return { ok: true, files: out };
}
