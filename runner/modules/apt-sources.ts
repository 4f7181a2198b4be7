// apt_repository's model of sources.list and sources.list.d/*.list, line for line Ansible 2.14's
// SourcesList: parsing, the file name it suggests for a new repo, add (re-enable or append),
// remove, and the text each file is saved with. Pure.

export interface SourceLine {
  valid: boolean;
  enabled: boolean;
  source: string;
  comment: string;
}

export type SourcesFiles = Map<string, SourceLine[]>;

const VALID_SOURCE_TYPES = ['deb', 'deb-src'];

/** Ansible's SourcesList._parse. */
export function parseSourceLine(raw: string): SourceLine {
  let line = raw.trim();
  let enabled = true;
  let comment = '';
  if (line.startsWith('#')) {
    enabled = false;
    line = line.slice(1);
  }
  const i = line.indexOf('#');
  if (i > 0) {
    comment = line.slice(i + 1).trim();
    line = line.slice(0, i);
  }
  let source = line.trim();
  let valid = false;
  if (source) {
    const chunks = source.split(/\s+/);
    if (VALID_SOURCE_TYPES.includes(chunks[0]!)) {
      valid = true;
      source = chunks.join(' ');
    }
  }
  return { valid, enabled, source, comment };
}

/** A file's lines as Ansible's load() reads them (Python's iteration yields a last line without "\n" too). */
export function parseSourcesFile(text: string): SourceLine[] {
  const lines = text.split(/(?<=\n)/).filter((l) => l !== '');
  return lines.map(parseSourceLine);
}

/** What save() writes for one file. */
export function dumpSourcesFile(lines: SourceLine[]): string {
  return lines.map((l) => `${l.enabled ? '' : '# '}${l.source}${l.comment ? ` # ${l.comment}` : ''}\n`).join('');
}

/** Ansible's _suggest_filename: `deb [opts] http://user:pw@host/path dist comp` -> `host_path.list`. */
export function suggestFilename(source: string, filename?: string): string {
  if (filename !== undefined) return `${filename}.list`;
  let line = source.replace(/\[[^\]]+\]/g, '').replace(/[A-Za-z0-9_]+:\/\//g, '');
  const parts = line.split(/\s+/).filter((p) => p !== '' && !VALID_SOURCE_TYPES.includes(p));
  line = parts[0] ?? '';
  if (line.includes('@')) line = line.slice(line.indexOf('@') + 1);
  return `${line.replace(/[^a-zA-Z0-9]/g, ' ').split(/\s+/).filter(Boolean).join('_')}.list`;
}

export type EditResult = { ok: true; files: SourcesFiles; added?: string } | { ok: false; msg: string };

const clone = (f: SourcesFiles): SourcesFiles => new Map([...f].map(([k, v]) => [k, v.map((l) => ({ ...l }))]));

/** add_source: re-enable every line with this source; none -> append it to the suggested file. */
export function addSource(files: SourcesFiles, repo: string, sourcesDir: string, filename?: string): EditResult {
  const parsed = parseSourceLine(repo);
  if (!parsed.valid || !parsed.enabled) return { ok: false, msg: `Invalid repository string: ${repo}` };
  const out = clone(files);
  let found = false;
  for (const lines of out.values()) {
    for (const l of lines) if (l.valid && l.source === parsed.source) { l.enabled = true; found = true; }
  }
  if (found) return { ok: true, files: out };
  const name = suggestFilename(parsed.source, filename);
  const path = name.includes('/') ? name : `${sourcesDir.replace(/\/$/, '')}/${name}`;
  const lines = out.get(path) ?? [];
  lines.push({ valid: true, enabled: true, source: parsed.source, comment: '' });
  out.set(path, lines);
  return { ok: true, files: out, added: path };
}

/** remove_source: drops every enabled line with this source (a file left empty is deleted on save). */
export function removeSource(files: SourcesFiles, repo: string): EditResult {
  const parsed = parseSourceLine(repo);
  if (!parsed.valid || !parsed.enabled) return { ok: false, msg: `Invalid repository string: ${repo}` };
  const out = clone(files);
  for (const [path, lines] of out) out.set(path, lines.filter((l) => !(l.valid && l.enabled && l.source === parsed.source)));
  return { ok: true, files: out };
}

/** dump(): path -> text, for the files that have lines. */
export function dumpSources(files: SourcesFiles): Map<string, string> {
  return new Map([...files].filter(([, l]) => l.length > 0).map(([p, l]) => [p, dumpSourcesFile(l)]));
}
