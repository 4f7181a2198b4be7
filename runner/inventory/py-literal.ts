// Python's ast.literal_eval for INI inventory values, as Ansible's ini plugin applies it:
// `5` -> 5, `True` -> true, `None` -> null, `'a'` -> "a", `[1, 'x']`, `{'k': 1}`. Anything that is not a
// literal stays the raw string (`true`, `yes`, `a b c`). Pure; never throws.

export function pyLiteral(text: string): unknown {
  const p = new Parser(text);
  try {
    p.ws();
    const v = p.value();
    p.ws();
    return p.done() ? v : text;
  } catch {
    return text;
  }
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}
  done(): boolean {
    return this.i >= this.s.length;
  }
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  private fail(): never {
    throw new Error('not a literal');
  }
  private eat(c: string): boolean {
    this.ws();
    if (this.s[this.i] === c) {
      this.i++;
      return true;
    }
    return false;
  }
  value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '[' || c === '(') return this.seq(c === '[' ? ']' : ')');
    if (c === '{') return this.dict();
    if (c === '"' || c === "'") return this.str();
    const word = /^[A-Za-z_]+/.exec(this.s.slice(this.i))?.[0];
    if (word) {
      this.i += word.length;
      if (word === 'True') return true;
      if (word === 'False') return false;
      if (word === 'None') return null;
      this.fail();
    }
    const num = /^[-+]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*)?\.?\d[\d_]*([eE][-+]?\d+)?|\d[\d_]*\.)/.exec(this.s.slice(this.i))?.[0];
    if (!num) this.fail();
    this.i += num.length;
    const clean = num.replace(/_/g, '');
    const sign = clean.startsWith('-') ? -1 : 1;
    const body = clean.replace(/^[-+]/, '');
    if (/^0[xob]/i.test(body)) return sign * Number(body.toLowerCase());
    if (/^0\d+$/.test(body) && !/^0+$/.test(body)) this.fail(); // Python 3 rejects 010
    return Number(clean);
  }
  private seq(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    while (!this.eat(close)) {
      out.push(this.value());
      if (!this.eat(',')) {
        if (!this.eat(close)) this.fail();
        return out;
      }
    }
    return out;
  }
  private dict(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    while (!this.eat('}')) {
      const k = this.value();
      if (!this.eat(':')) this.fail();
      out[String(k)] = this.value();
      if (!this.eat(',')) {
        if (!this.eat('}')) this.fail();
        return out;
      }
    }
    return out;
  }
  private str(): string {
    const q = this.s[this.i]!;
    this.i++;
    let out = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i++]!;
      if (c === q) return out;
      if (c === '\\') {
        const n = this.s[this.i++];
        out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n === '0' ? '\0' : n ?? '';
      } else out += c;
    }
    return this.fail();
  }
}
