import { expect } from 'chai';
import { OMIT, checkTemplate, renderString, renderTemplateFile, renderValue } from '../../../runner/render/jinja/index.js';
import { VAR_ERRORS } from '../../../runner/render/var-errors.js';
import { renderError } from './support.js';

const vars = {
  n: 5, s: 'Hello World', l: [1, 'x', true], d: { k: 'v', n: { m: 2 }, 'k-1': 7 }, t: true, f: false, nn: null, empty: '',
  csv: 'a,b,,c', res: { changed: true, rc: 0, stdout: 'out' },
};
const r = (text: unknown, v: Record<string, unknown> = vars) => renderValue(text, v, 'task');
const s = (text: string, v: Record<string, unknown> = vars) => renderString(text, v, 'task');

describe('jinja: expressions', () => {
  const cases: Array<[string, unknown]> = [
    ['{{ n + 1 }}', 6], ['{{ n - 7 }}', -2], ['{{ n * 2 }}', 10], ['{{ 10 / 4 }}', 2.5], ['{{ 7 // 2 }}', 3], ['{{ -7 // 2 }}', -4],
    ['{{ 7 % 3 }}', 1], ['{{ -7 % 3 }}', 2], ['{{ 2 ** 10 }}', 1024], ['{{ (n + 1) * 2 }}', 12],
    ["{{ s ~ '!' }}", 'Hello World!'], ['{{ n ~ t ~ nn }}', '5TrueNone'], ["{{ 'a' + 'b' }}", 'ab'], ['{{ [1] + [2] }}', [1, 2]],
    ["{{ 'ab' * 3 }}", 'ababab'],
    ['{{ l[0] }}', 1], ['{{ l[-1] }}', true], ['{{ l.1 }}', 'x'], ["{{ d['k'] }}", 'v'], ['{{ d.n.m }}', 2], ["{{ d['k-1'] }}", 7],
    ['{{ s[0:5] }}', 'Hello'], ['{{ s[-5:] }}', 'World'], ['{{ l[::-1] }}', [true, 'x', 1]], ["{{ {'a': [1, 2]}['a'][1] }}", 2],
    ["{{ 'yes' if t else 'no' }}", 'yes'], ["{{ 'yes' if f else 'no' }}", 'no'], ["{{ 'a' if f else 'b' if t else 'c' }}", 'b'],
    ["{{ s.split(' ') }}", ['Hello', 'World']], ["{{ csv.split(',') }}", ['a', 'b', '', 'c']], ["{{ '  a  b '.split() }}", ['a', 'b']],
    ["{{ 'a,b,c'.split(',', 1) }}", ['a', 'b,c']], ["{{ s.startswith('Hell') }}", true], ["{{ s.endswith(('x', 'ld')) }}", true],
    ["{{ s.replace('l', 'L') }}", 'HeLLo WorLd'], ["{{ '  pad '.strip() }}", 'pad'], ["{{ s.lower() }}", 'hello world'], ["{{ s.upper() }}", 'HELLO WORLD'],
    ["{{ '{}-{}'.format(1, 'a') }}", '1-a'], ["{{ '%s=%d' % ('x', 3) }}", 'x=3'], ["{{ ', '.join(['a', 'b']) }}", 'a, b'],
    ['{{ d.items() | list | length }}', 3], ['{{ d.keys() | list }}', ['k', 'n', 'k-1']], ["{{ d.get('k') }}", 'v'], ["{{ d.get('zz', 0) }}", 0],
    ["{{ d.get('zz') }}", null], ['{{ d.n.values() }}', [2]],
    ['{{ missing is defined }}', false], ['{{ missing is undefined }}', true], ['{{ d.zz.yy is defined }}', false], ['{{ n is defined }}', true],
    ['{{ nn is none }}', true], ['{{ n is not none }}', true], ['{{ res is changed }}', true], ['{{ res is failed }}', false],
    ['{{ res is succeeded }}', true], ['{{ res is success }}', true], ['{{ res is skipped }}', false], ['{{ n is divisibleby 5 }}', true],
    ["{{ missing | default('d') }}", 'd'], ["{{ empty | default('d') }}", ''], ["{{ empty | default('d', true) }}", 'd'], ["{{ missing | d(n) }}", 5],
    ['{{ d.zz | default(1) }}', 1], ["{{ missing.deeper | default('x') }}", 'x'],
    ['{{ s | lower | upper | length }}', 11], ["{{ l | join('-') }}", '1-x-True'], ["{{ '42' | int + 1 }}", 43], ["{{ 'yes' | bool }}", true],
    ['{{ s | ansible.builtin.lower }}', 'hello world'], ['{{ n is ansible.builtin.defined }}', true],
    ['{{ l }}', [1, 'x', true]], ['{{ d.n }}', { m: 2 }], ['{{ t }}', true], ['{{ nn }}', null], ['{{ n }}', 5], ['{{ (1, 2) }}', [1, 2]],
    ['{{ n > 3 and n < 10 }}', true], ['{{ 1 < n < 10 }}', true], ['{{ f or n }}', 5], ['{{ t and nn }}', null], ['{{ not f }}', true],
    ["{{ 'ell' in s }}", true], ["{{ 'x' in l }}", true], ["{{ 'k' in d }}", true], ["{{ 'zz' not in d }}", true], ['{{ 1 == 1.0 }}', true],
    ['{{ true == 1 }}', true], ["{{ 1 == '1' }}", false], ['{{ [1, 2] == [1, 2] }}', true],
    ["{{ 'a\\d' }}", 'a\\d'], ['{{ "it\'s" }}', "it's"],
    ['{% if t %}yes{% else %}no{% endif %}', 'yes'], ['{% set x = n * 2 %}{{ x }}', '10'],
    ['{{ range(3) | list }}', [0, 1, 2]], ["{{ lookup('vars', 's') }}", 'Hello World'], ['{{ omit }}', OMIT],
  ];
  for (const [text, want] of cases) it(`${text} -> ${JSON.stringify(want)}`, () => expect(r(text)).to.deep.equal(want));

  it('inside text, values show as Python str(): True, None is empty, lists and dicts as repr', () => {
    expect(s('x={{ t }} y={{ nn }} z={{ l }} w={{ d.n }}')).to.equal("x=True y= z=[1, 'x', True] w={'m': 2}");
    expect(s("{{ [\"it's\", 'a\\nb'] }} ")).to.equal(`["it's", 'a\\\\nb'] `);
    expect(s('{{ none | string }} {{ [none] }}')).to.equal('None [None]');
  });

  it('a lone expression keeps its type; text around it makes a string', () => {
    expect(r('{{ n }}')).to.equal(5);
    expect(r(' {{ n }}')).to.equal(' 5');
    expect(r('{{ n }}{{ n }}')).to.equal('55');
    expect(r({ a: ['{{ l }}', { b: '{{ t }}' }], k: 'plain' })).to.deep.equal({ a: [[1, 'x', true], { b: true }], k: 'plain' });
  });

  it('text that is a Python literal list, dict or bool becomes that value, as Ansible does', () => {
    expect(r("[{{ n }}, '{{ s | lower }}']")).to.deep.equal([5, 'hello world']);
    expect(r("{'k': {{ n }}, 'l': [{{ t }}, null]}")).to.deep.equal({ k: 5, l: [true, null] });
    expect(r('{{ t }}{{ "" }}')).to.equal(true);
    expect(r('[INFO] {{ n }}')).to.equal('[INFO] 5');
    expect(r('[{{ s }}]')).to.equal('[Hello World]');
    expect(r('{{ l }}')).to.deep.equal([1, 'x', true]);
    expect(r('{{ csv }}', { csv: '[1, 2]' })).to.equal('[1, 2]');
  });

  it('an argument rendered to omit is left out', () => {
    expect(r({ path: '/x', mode: '{{ missing | default(omit) }}', owner: '{{ s }}' })).to.deep.equal({ path: '/x', owner: 'Hello World' });
  });

  it('values are data: what a variable holds is never parsed', () => {
    const host = { out: { stdout: '{{ secret }} {% for x in y %}' }, secret: 'S3CRET' };
    expect(r('{{ out.stdout }}', host)).to.equal('{{ secret }} {% for x in y %}');
    expect(s('got: {{ out.stdout }}', host)).to.equal('got: {{ secret }} {% for x in y %}');
  });

  it('methods that change a value in place are refused', () => {
    expect(renderError(() => r('{{ l.append(3) }}')).message).to.match(/list\.append\(\) is not supported/);
  });
});

describe('jinja: undefined and errors', () => {
  it('names the undefined variable with its path and position', () => {
    expect(renderError(() => r('{{ missing }}')).message).to.equal("task: undefined variable 'missing' (line 1, col 4)");
    expect(renderError(() => r('x {{ d.zz.yy }}')).message).to.contain("undefined variable 'd.zz.yy' (line 1, col 6)");
    expect(renderError(() => r('{{ l[7] }}')).message).to.contain("'l[7]'");
    expect(renderError(() => r('{% if missing %}x{% endif %}')).message).to.contain("undefined variable 'missing'");
    expect(renderError(() => r('{{ missing | upper }}')).message).to.contain("undefined variable 'missing'");
    expect(renderError(() => r("{{ missing | mandatory }}")).message).to.contain("mandatory variable 'missing' is not defined");
  });

  it('a variable that failed to resolve reports its own reason', () => {
    const v = { [VAR_ERRORS]: { a: "variable 'a': reference cycle: a -> a" } };
    const e = renderError(() => r('{{ a }}', v as never));
    expect(e.message).to.contain('reference cycle');
  });

  it('type errors say what was wrong', () => {
    expect(renderError(() => r("{{ n + 'x' }}")).message).to.contain("unsupported operand types for +: 'int' and 'str'");
    expect(renderError(() => r("{{ '22' > 20 }}")).message).to.match(/cannot compare str \(22\) with int \(20\)/);
    expect(renderError(() => r('{{ n / 0 }}')).message).to.contain('division by zero');
    expect(renderError(() => r('{{ n() }}')).message).to.contain("'n' is not callable");
    expect(renderError(() => r("{{ lookup('file', '/etc/passwd') }}")).message).to.contain("lookup plugin 'file' is not supported");
  });
});

describe('jinja: templates', () => {
  it('for loops: loop.*, else, tuple unpacking, inline filter', () => {
    expect(s('{% for x in l %}{{ loop.index }}/{{ loop.length }}{{ "," if not loop.last }}{% endfor %}')).to.equal('1/3,2/3,3/3');
    expect(s('{% for k, v in d.n.items() %}{{ k }}={{ v }}{% endfor %}')).to.equal('m=2');
    expect(s('{% for x in [] %}a{% else %}empty{% endfor %}')).to.equal('empty');
    expect(s('{% for x in range(6) if x is divisibleby 2 %}{{ x }}{% endfor %}')).to.equal('024');
    expect(s('{% for k in d %}{{ k }} {% endfor %}')).to.equal('k n k-1 ');
    expect(s('{% for x in l %}{% if loop.first %}{{ loop.index0 }}{% endif %}{{ loop.revindex }}{% endfor %}')).to.equal('0321');
  });

  it('set, block set, namespace, macro, filter block, raw, comments', () => {
    expect(s('{% set a, b = 1, 2 %}{{ a + b }}')).to.equal('3');
    expect(s('{% set x %}in {{ n }}{% endset %}[{{ x }}]')).to.equal('[in 5]');
    expect(s('{% set ns = namespace(c=0) %}{% for x in l %}{% set ns.c = ns.c + 1 %}{% endfor %}{{ ns.c }}')).to.equal('3');
    expect(s('{% for x in l %}{% set inner = 1 %}{% endfor %}{{ inner is defined }}')).to.equal('False');
    expect(s("{% macro greet(who, p='!') %}hi {{ who }}{{ p }}{% endmacro %}{{ greet('a') }} {{ greet('b', p='?') }}")).to.equal('hi a! hi b?');
    expect(s('{% filter upper %}abc {{ n }}{% endfilter %}')).to.equal('ABC 5');
    expect(s('{% raw %}{{ not parsed }} {% if %}{% endraw %}')).to.equal('{{ not parsed }} {% if %}');
    expect(s('a{# note #}b')).to.equal('ab');
  });

  it('Datadog mustache in a message survives as raw or as a string literal', () => {
    expect(s("{% raw %}{{#is_alert}}{{value}}{{/is_alert}}{% endraw %} on {{ n }}")).to.equal('{{#is_alert}}{{value}}{{/is_alert}} on 5');
    expect(s("{{ '{{#is_alert}}' }}x")).to.equal('{{#is_alert}}x');
  });

  it('whitespace control: {%- -%}, {{- -}}, trim_blocks on', () => {
    expect(s('a  {%- if t -%}  b  {%- endif -%}  c')).to.equal('abc');
    expect(s('a {{- n -}} b')).to.equal('a5b');
    expect(s('{% if t %}\nyes\n{% endif %}\nend')).to.equal('yes\nend');
    expect(s('  {% if t %}x{% endif %}')).to.equal('  x');
    expect(s('{% if t +%}\nkeep{% endif %}')).to.equal('\nkeep');
  });

  it('.j2 files: ansible_managed, trim_blocks, trailing newlines kept, #jinja2 overrides', () => {
    expect(renderTemplateFile('# {{ ansible_managed }}\n{% for x in l %}\n- {{ x }}\n{% endfor %}\n', vars, 'f')).to.equal("# Ansible managed\n- 1\n- x\n- True\n");
    expect(renderTemplateFile('a\n\n', vars, 'f')).to.equal('a\n\n');
    expect(renderTemplateFile('#jinja2: lstrip_blocks: True\n  {% if t %}\nx\n  {% endif %}\n', vars, 'f')).to.equal('x\n');
    expect(renderTemplateFile('#jinja2: trim_blocks: False\n{% if t %}\nx{% endif %}', vars, 'f')).to.equal('\nx');
  });

  it('string literals keep backslashes in YAML values, and escape in .j2 files', () => {
    expect(s("{{ 'a\\nb' }}")).to.equal('a\\nb');
    expect(renderTemplateFile("{{ 'a\\nb' }}", vars, 'f')).to.equal('a\nb');
  });
});

describe('jinja: load-time check', () => {
  const errors: Array<[string, number, number, RegExp]> = [
    ['{{ a +}}', 1, 7, /unexpected '}}'/],
    ['line1\n  {% if x %}\nno end', 2, 3, /unclosed \{% if %\}/],
    ['{% for x in y %}{% endif %}', 1, 17, /expected \{% endfor %\} for the \{% for %\} at line 1, col 1, found \{% endif %\}/],
    ['{{ x', 1, 1, /unclosed '\{\{'/],
    ["{{ 'open }}", 1, 4, /unterminated string/],
    ['{{ (a }}', 1, 4, /unclosed '\('|expected '\)'/],
    ['{{ a ] }}', 1, 6, /unexpected '\]'/],
    ['{% include "x" %}', 1, 4, /\{% include %\} is not supported/],
    ['{% frob %}', 1, 4, /unknown tag \{% frob %\}/],
    ['{{ x | frobnicate }}', 1, 8, /unknown filter 'frobnicate'/],
    ['{{ x is frob }}', 1, 9, /unknown test 'frob'/],
    ['a\nb {% endif %}', 2, 3, /\{% endif %\} without \{% if %\}/],
    ['{% raw %}x', 1, 1, /unclosed \{% raw %\}/],
  ];
  for (const [text, line, col, re] of errors) {
    it(`${JSON.stringify(text)} fails at ${line}:${col}`, () => {
      const c = checkTemplate(text);
      expect(c.ok).to.equal(false);
      if (c.ok) return;
      expect(c.message).to.match(re);
      expect([c.line, c.col]).to.deep.equal([line, col]);
      expect(c.message).to.not.match(/Parser Error|TypeError|undefined !==|Identifier|CloseExpression/);
    });
  }

  it('lists the roots a template reads, leaving out guarded and bound names', () => {
    const roots = (t: string) => {
      const c = checkTemplate(t);
      if (!c.ok) throw new Error(c.message);
      return c.roots;
    };
    expect(roots('{{ a.b }} {{ c[d] }} {{ e | default(f) }} {{ g | default("x") }}')).to.deep.equal(['a', 'c', 'd', 'f']);
    expect(roots('{{ x is defined and x | length > 0 }}')).to.deep.equal([]);
    expect(roots('{{ x if x is defined else y }}')).to.deep.equal(['y']);
    expect(roots('{{ x is not defined or x }}')).to.deep.equal([]);
    expect(roots('{% if x is defined %}{{ x }}{% else %}{{ z }}{% endif %}')).to.deep.equal(['z']);
    expect(roots('{% for i in items %}{{ i }} {{ loop.index }}{% endfor %}{% set s = 1 %}{{ s }}')).to.deep.equal(['items']);
    expect(roots("{{ range(3) }} {{ lookup('vars', 'x') }} {{ omit }} {{ true }} {{ none }}")).to.deep.equal([]);
    expect(roots('{% macro m(p, q=r) %}{{ p }}{{ q }}{% endmacro %}{{ m(1) }}')).to.deep.equal(['r']);
  });
});

describe('jinja: a value read back as a literal, as ansible-playbook 2.14 does (checked with set_fact and "is string")', () => {
  const v = { c: { a: 1 } };
  it('the text of to_json/to_nice_json/to_yaml/string stays a string, with its final newline', () => {
    expect(r('{{ c | to_nice_json }}\n', v)).to.equal('{\n    "a": 1\n}\n');
    expect(r('{{ c | to_json }}\n', v)).to.equal('{"a": 1}\n');
    expect(r('{{ c | string }}\n', v)).to.be.a('string');
  });
  it('other text that is a literal becomes the value, its final newline dropped', () => {
    expect(r('{{ c }}\n', v)).to.deep.equal({ a: 1 });
    expect(r('{{ c | to_json }} ', v)).to.deep.equal({ a: 1 });
    expect(r('{{ "{" }}"a": 1}', v)).to.deep.equal({ a: 1 });
    expect(r('[{{ 1 }}, 2]', v)).to.deep.equal([1, 2]);
  });
  it('text that is no literal keeps its newlines', () => {
    expect(r('{{ 5 }}\n', v)).to.equal('5\n');
    expect(r('x{{ 5 }}\n\n', v)).to.equal('x5\n\n');
  });
});
