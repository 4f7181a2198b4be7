// get_url's host side: the one command a real run sends. It downloads with curl into a temporary
// file, checks the status and the checksum, and replaces dest only when the bytes differ (what
// Ansible's get_url does after its download), then sets owner, group and mode. It prints
// `key=value` lines: the result fields, and play-changed=yes|no, play-unchanged= or play-fail=.
import { quote } from '../shell-quote.js';
import { NEED_CURL } from './http-curl.js';

export interface FetchScriptOpts {
  dest: string;
  /** Ansible's tmp_dest: where the download lands first (default: $TMPDIR or /tmp). */
  tmpDest?: string;
  /** Without force an existing dest's mtime goes as If-Modified-Since (curl -z), as Ansible sends it. */
  force: boolean;
  /** The scheme is file: there is no HTTP status. */
  fileUrl: boolean;
  checksum?: { alg: string; hex: string };
  /** chmod's own syntax: octal or symbolic. */
  mode?: string;
  owner?: string;
  group?: string;
  backup?: boolean;
}

const STAT = `stat -c 'mode=%a\nowner=%U\ngroup=%G\nuid=%u\ngid=%g\nsize=%s' -- "$final"`;

export function fetchScript(o: FetchScriptOpts): string {
  const who = o.owner !== undefined || o.group !== undefined ? `${o.owner ?? ''}${o.group !== undefined ? `:${o.group}` : ''}` : undefined;
  const L = [
    NEED_CURL,
    `dest=${quote(o.dest)}; tdir=${quote(o.tmpDest ?? '')}; t2=`,
    `if [ -n "$tdir" ]; then if [ ! -d "$tdir" ]; then if [ -e "$tdir" ]; then echo "play-fail=$tdir is a file but should be a directory."; else echo "play-fail=$tdir directory does not exist."; fi; exit 0; fi; else tdir=\${TMPDIR:-/tmp}; fi`,
    `tmp=$(mktemp "$tdir/play-get_url.XXXXXX") && err=$(mktemp "\${TMPDIR:-/tmp}/play-get_url-err.XXXXXX") || exit 1`,
    `trap 'rm -f -- "$tmp" "$err" \${t2:+"$t2"}' EXIT`,
    // A file: URL has no If-Modified-Since in Ansible (urllib reads the file whole): no -z for it.
    o.fileUrl ? 'set --' : o.force ? 'set -- --header "Cache-Control: no-cache"' : 'set --; if [ -f "$dest" ]; then set -- -z "$dest"; fi',
    `w=$(curl --config - "$@" -o "$tmp" -w '%{http_code}\\n%{url_effective}\\n%{size_download}\\n%header{content-disposition}' 2>"$err"); rc=$?`,
    `if [ $rc -ne 0 ]; then printf 'play-fail=Request failed: %s\\n' "$(tail -n 1 "$err")"; exit 0; fi`,
    `code=$(printf '%s\\n' "$w" | sed -n 1p); eff=$(printf '%s\\n' "$w" | sed -n 2p); size=$(printf '%s\\n' "$w" | sed -n 3p); cd=$(printf '%s\\n' "$w" | sed -n 4p | tr -d '\\r')`,
    o.fileUrl ? `code=200; echo 'status_code=200'` : `printf 'status_code=%s\\n' "$code"`,
    `if [ "$code" = 304 ]; then echo 'play-unchanged=Not Modified: the server has nothing newer than dest (HTTP 304 to If-Modified-Since)'; exit 0; fi`,
    `if [ "$code" != 200 ]; then printf 'play-fail=Request failed\\nresponse=HTTP %s\\n' "$code"; exit 0; fi`,
    // A directory dest takes its name from Content-Disposition, else from the URL after redirects.
    `final=$dest; if [ -d "$dest" ]; then fn=$(printf '%s' "$cd" | sed -n 's/^attachment; \\{0,1\\}filename="\\{0,1\\}\\([^"]*\\).*/\\1/p'); fn=\${fn##*/}`,
    `  if [ -z "$fn" ]; then r=\${eff#*://}; case $r in */*) r=/\${r#*/};; *) r=;; esac; r=\${r%%[?#]*}; fn=\${r##*/}; fi; [ -n "$fn" ] || fn=index.html; final=\${dest%/}/$fn; fi`,
    `printf 'dest=%s\\nmsg=OK (%s bytes)\\n' "$final" "$size"`,
    `s=$(sha1sum < "$tmp") || exit 1; src=\${s%% *}; printf 'checksum_src=%s\\n' "$src"`,
  ];
  if (o.checksum) {
    const { alg, hex } = o.checksum;
    L.push(`s=$(${alg}sum < "$tmp") || exit 1; if [ "\${s%% *}" != ${quote(hex)} ]; then printf 'play-fail=The checksum for %s did not match %s; it was %s.\\n' "$final" ${quote(hex)} "\${s%% *}"; exit 0; fi`);
  }
  L.push(
    `dsum=; if [ -e "$final" ]; then if [ ! -w "$final" ]; then echo "play-fail=Destination $final is not writable"; exit 0; fi; s=$(sha1sum < "$final") || exit 1; dsum=\${s%% *}; printf 'checksum_dest=%s\\n' "$dsum"; fi`,
    `d=$(dirname -- "$final"); if [ ! -d "$d" ]; then echo "play-fail=Destination $d does not exist"; exit 0; fi`,
    'changed=no',
    `if [ "$src" != "$dsum" ]; then`,
  );
  if (o.backup) L.push(`  if [ -f "$final" ]; then b="$final.$$.$(date +%Y-%m-%d@%H:%M:%S)~"; cp -p -- "$final" "$b" || exit 1; printf 'backup_file=%s\\n' "$b"; fi`);
  // Written next to dest, then renamed over it: the replacement is atomic, as Ansible's atomic_move.
  L.push(
    `  t2=$(mktemp "$d/.play-get_url.XXXXXX") && cat -- "$tmp" > "$t2" || exit 1`,
    `  if [ -e "$final" ]; then chmod --reference="$final" -- "$t2" && chown --reference="$final" -- "$t2" 2>/dev/null; else chmod -- "$(printf '%o' $((0666 & ~0$(umask))))" "$t2"; fi`,
    `  mv -f -- "$t2" "$final" || exit 1; t2=; changed=yes`,
    'fi',
    `before=$(${STAT})`,
  );
  if (who !== undefined) L.push(`chown -- ${quote(who)} "$final" || exit 1`);
  if (o.mode !== undefined) L.push(`chmod -- ${quote(o.mode)} "$final" || exit 1`);
  L.push(
    `after=$(${STAT}); printf '%s\\n' "$after"; [ "$before" = "$after" ] || changed=yes`,
    `s=$(md5sum < "$final") && printf 'md5sum=%s\\n' "\${s%% *}"`,
    'echo "play-changed=$changed"',
  );
  return L.join('\n');
}
