// YAML scalar rules shared by the dumper and the loader: PyYAML's implicit resolvers (which plain
// strings would load back as something else) and libyaml's scalar analysis (which styles a
// string may be written in).

// PyYAML's implicit resolvers (YAML 1.1), keyed on the first character like the Resolver does.
const RESOLVERS: Array<[string, RegExp]> = [
  ['yYnNtTfFoO', /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/],
  ['-+0123456789.', /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/],
  ['-+0123456789', /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/],
  ['<', /^(?:<<)$/],
  ['~nN', /^(?:~|null|Null|NULL|)$/],
  ['0123456789', /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/],
  ['=', /^(?:=)$/],
  ['!&*', /^(?:!|&|\*)$/],
];

/** True when a plain scalar with this text would load back as a string. */
export function resolvesToStr(v: string): boolean {
  // Python's `$` also matches before one trailing newline.
  const body = v.endsWith('\n') ? v.slice(0, -1) : v;
  if (v === '') return false; // the null resolver's '' key
  return !RESOLVERS.some(([first, re]) => first.includes(v[0]!) && (re.test(v) || re.test(body)));
}

const BREAKS = '\r\n\x85\u2028\u2029';
export const isBreak = (c: string | undefined) => c !== undefined && BREAKS.includes(c);
const isBlankZ = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\0' || isBreak(c);

/** libyaml's IS_PRINTABLE with allow_unicode: astral characters are not printable. */
export function printable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

export interface Analysis { multiline: boolean; flowPlain: boolean; blockPlain: boolean; single: boolean }

export function analyze(s: string): Analysis {
  const cs = Array.from(s);
  if (!cs.length) return { multiline: false, flowPlain: false, blockPlain: true, single: true };
  let blockInd = false, flowInd = false, lineBreaks = false, special = false;
  let leadSpace = false, leadBreak = false, trailSpace = false, trailBreak = false, breakSpace = false, spaceBreak = false;
  let prevSpace = false, prevBreak = false;
  if (s.startsWith('---') || s.startsWith('...')) blockInd = flowInd = true;
  let precededByWs = true;
  let followedByWs = isBlankZ(cs[1]);
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) flowInd = blockInd = true;
      if (c === '?' || c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (c === '-' && followedByWs) flowInd = blockInd = true;
    } else {
      if (',?[]{}'.includes(c)) flowInd = true;
      if (c === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (c === '#' && precededByWs) flowInd = blockInd = true;
    }
    if (!printable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    const last = i === cs.length - 1;
    if (c === ' ') {
      if (i === 0) leadSpace = true;
      if (last) trailSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadBreak = true;
      if (last) trailBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else prevSpace = prevBreak = false;
    precededByWs = isBlankZ(c);
    followedByWs = isBlankZ(cs[i + 2]);
  }
  let flowPlain = true, blockPlain = true, single = true;
  if (leadSpace || leadBreak || trailSpace || trailBreak) flowPlain = blockPlain = false;
  if (breakSpace) flowPlain = blockPlain = single = false;
  if (spaceBreak || special) flowPlain = blockPlain = single = false;
  if (lineBreaks) flowPlain = blockPlain = false;
  if (flowInd) flowPlain = false;
  if (blockInd) blockPlain = false;
  return { multiline: lineBreaks, flowPlain, blockPlain, single };
}

