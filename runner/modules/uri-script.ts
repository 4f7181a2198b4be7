// uri's host side: one curl run whose status, final URL, header dump and body come back base64 in
// `key=value` lines; with dest, the body replaces dest when the status is one of status_code (and
// not 304), then owner, group and mode are set, as Ansible's uri writes it.
import { quote } from '../shell-quote.js';
import { NEED_CURL } from './http-curl.js';

export interface UriScriptOpts {
  codes: number[];
  dest?: string;
  destIsDir?: boolean;
  mode?: string;
  owner?: string;
  group?: string;
}

/** Bodies above this are not carried back (a download belongs in dest or get_url). */
export const BODY_MAX = 16 * 1024 * 1024;

export function uriScript(o: UriScriptOpts): string {
  const L = [
    NEED_CURL,
    `tmp=$(mktemp "\${TMPDIR:-/tmp}/play-uri.XXXXXX") && hdr=$(mktemp "\${TMPDIR:-/tmp}/play-uri-h.XXXXXX") && err=$(mktemp "\${TMPDIR:-/tmp}/play-uri-e.XXXXXX") || exit 1`,
    `t2=; trap 'rm -f -- "$tmp" "$hdr" "$err" \${t2:+"$t2"}' EXIT`,
    o.dest !== undefined && !o.destIsDir ? `set --; if [ -f ${quote(o.dest)} ]; then set -- -z ${quote(o.dest)}; fi` : 'set --',
    `s0=$(date +%s); w=$(curl --config - "$@" -o "$tmp" -D "$hdr" -w '%{http_code}\\n%{url_effective}\\n%header{content-disposition}' 2>"$err"); rc=$?`,
    `if [ $rc -ne 0 ]; then printf 'play-fail=Request failed: %s\\n' "$(tail -n 1 "$err")"; exit 0; fi`,
    `code=$(printf '%s\\n' "$w" | sed -n 1p); eff=$(printf '%s\\n' "$w" | sed -n 2p); cd=$(printf '%s\\n' "$w" | sed -n 3p | tr -d '\\r')`,
    `printf 'status=%s\\nurl=%s\\nelapsed=%s\\n' "$code" "$eff" $(( $(date +%s) - s0 ))`,
    `printf 'headers='; base64 -w0 < "$hdr"; echo`,
    `z=$(wc -c < "$tmp"); if [ "$z" -le ${BODY_MAX} ]; then printf 'body='; base64 -w0 < "$tmp"; echo; fi`,
  ];
  if (o.dest !== undefined) {
    const who = o.owner !== undefined || o.group !== undefined ? `${o.owner ?? ''}${o.group !== undefined ? `:${o.group}` : ''}` : undefined;
    L.push(
      `case " ${o.codes.join(' ')} " in *" $code "*) ;; *) exit 0;; esac`,
      `if [ "$code" = 304 ]; then echo path=${quote(o.dest)}; exit 0; fi`,
      `final=${quote(o.dest)}`,
      // A directory dest: Content-Disposition's name, else the URL's last segment, else index.html.
      `if [ -d "$final" ]; then fn=$(printf '%s' "$cd" | sed -n 's/.*filename="\\{0,1\\}\\([^";]*\\).*/\\1/p'); fn=\${fn##*/}`,
      `  if [ -z "$fn" ]; then r=\${eff#*://}; case $r in */*) r=/\${r#*/};; *) r=;; esac; r=\${r%%[?#]*}; r=\${r%/}; fn=\${r##*/}; fi; [ -n "$fn" ] || fn=index.html; final=\${final%/}/$fn; fi`,
      `d=$(dirname -- "$final"); s=$(sha1sum < "$tmp"); a=$(sha1sum < "$final" 2>/dev/null)`,
      `if [ "$s" != "$a" ]; then t2=$(mktemp "$d/.play-uri.XXXXXX") && cat -- "$tmp" > "$t2" || exit 1`,
      `  if [ -e "$final" ]; then chmod --reference="$final" -- "$t2" && chown --reference="$final" -- "$t2" 2>/dev/null; else chmod -- "$(printf '%o' $((0666 & ~0$(umask))))" "$t2"; fi`,
      `  mv -f -- "$t2" "$final" || exit 1; t2=; fi`,
    );
    if (who !== undefined) L.push(`chown -- ${quote(who)} "$final" || exit 1`);
    if (o.mode !== undefined) L.push(`chmod -- ${quote(o.mode)} "$final" || exit 1`);
    // Ansible's uri reports a written dest as changed even when the bytes were the same.
    L.push(`printf 'path=%s\\nplay-changed=yes\\n' "$final"`);
  }
  return L.join('\n');
}
