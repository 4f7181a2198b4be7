// Text from hosts reaches a terminal: escape sequences could recolour it, move the cursor, rewrite
// earlier lines or forge new ones. The plain and live reporters show every control character as an
// escape (`\r`, `\x1b`, `\u202e`); newline and tab stay. --json keeps the exact bytes, JSON-escaped.

// C0 controls but \t and \n, DEL, C1 controls, and the bidirectional overrides ("Trojan Source").
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v', '\0': '\\0' };

export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/** One line of output: a newline inside becomes visible too (a host name or message cannot forge a line). */
export function escapeLine(text: string): string {
  return escapeControls(text).replace(/\n/g, '\\n');
}

function hex(c: string, width: number): string {
  return c.charCodeAt(0).toString(16).padStart(width, '0');
}
