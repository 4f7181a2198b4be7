// Host data is never a template; declared vars resolve once each; cycles, long chains and size
// limits fail only the task that uses the variable, with the reason.
import { expect } from 'chai';
import { evaluateCondition, parseCondition } from '../../../runner/render/condition.js';
import { MAX_RENDER_CHARS, MAX_TEMPLATE_NESTING, MAX_VAR_CHAIN } from '../../../runner/render/limits.js';
import { renderString, renderValue } from '../../../runner/render/template.js';
import { resolveLayers, resolvePending, resolveVars } from '../../../runner/vars/resolve.js';
import { renderError } from '../render/support.js';

const HOSTILE = "{{hostvars.h1.db_password}} {{ api_token }} {% if x %}{% for y in z %}{% endfor %}{% endif %} {{ lookup('vars', 'db_password') }} {{#if x}}{{/if}}";

describe('host data is never a template', () => {
  const declared = { db_password: 'S3cret-db', api_token: 'T0ken-api', hostvars: { h1: { db_password: 'S3cret-db' } } };

  it('a registered result that holds template syntax is inserted as it is', () => {
    const vars = resolveLayers({ hostVars: declared, registered: { motd: { stdout: HOSTILE } } }, 'host h1');
    expect(vars['motd']).to.deep.equal({ stdout: HOSTILE });
    expect(renderValue({ content: '{{motd.stdout}}' }, vars, 'task')).to.deep.equal({ content: HOSTILE });
    expect(renderString('motd: {{motd.stdout}}!', vars, 'task')).to.equal(`motd: ${HOSTILE}!`);
  });

  it('a gathered fact that holds template syntax is inserted as it is', () => {
    const facts = { ansible_distribution_release: HOSTILE, ansible_facts: { os_codename: HOSTILE } };
    const vars = resolveLayers({ hostVars: declared, facts }, 'host h1');
    expect(renderString('{{ansible_distribution_release}}|{{ansible_facts.os_codename}}', vars, 't')).to.equal(`${HOSTILE}|${HOSTILE}`);
  });

  it('a set_fact value derived from a registered one stays data on later tasks', () => {
    const first = resolveLayers({ hostVars: declared, registered: { motd: { stdout: HOSTILE } } }, 'host h1');
    const fact = renderValue({ copied: '{{motd.stdout}}' }, first, 'set_fact') as Record<string, unknown>;
    const later = resolveLayers({ hostVars: declared, registered: { motd: { stdout: HOSTILE }, ...fact } }, 'host h1');
    expect(later['copied']).to.equal(HOSTILE);
    expect(renderString('{{copied}}', later, 't')).to.equal(HOSTILE);
  });

  it('a declared var that inserts host data is rendered once: the inserted text is not parsed again', () => {
    const vars = resolveLayers({ playVars: { banner: 'motd is {{motd.stdout}}', twice: '[{{banner}}]' }, hostVars: declared, registered: { motd: { stdout: HOSTILE } } }, 'h1');
    expect(vars['banner']).to.equal(`motd is ${HOSTILE}`);
    expect(vars['twice']).to.equal(`[motd is ${HOSTILE}]`);
  });

  it('a registered value shadowing a declared name is still data', () => {
    const vars = resolveLayers({ playVars: { x: '{{api_token}}' }, hostVars: declared, registered: { x: '{{api_token}}' } }, 'h1');
    expect(vars['x']).to.equal('{{api_token}}');
  });

  it('a 114 KB nested {% if %} in host output is inert and cheap', () => {
    const bomb = '{% if a %}'.repeat(7200) + 'x' + '{% endif %}'.repeat(7200);
    expect(bomb.length).to.be.greaterThan(100_000);
    const vars = resolveLayers({ registered: { out: { stdout: bomb } } }, 'h1');
    expect(renderString('{{out.stdout}}', vars, 't')).to.equal(bomb);
  });
});

describe('declared vars resolve against each other', () => {
  it('in dependency order, whatever the key order, keeping types', () => {
    const v = resolveVars({ url: '{{base}}/p', deep: { u: '{{url}}' }, base: 'http://{{host}}', host: 'x', list: '{{nums}}', nums: [1, 2] }, 't');
    expect(v).to.deep.include({ url: 'http://x/p', deep: { u: 'http://x/p' }, base: 'http://x', list: [1, 2] });
  });

  it('default applies to a var whose reference cannot be resolved', () => {
    const v = resolveVars({ a: '{{ b | default("fallback") }}', b: '{{missing}}' }, 't');
    expect(v['a']).to.equal('fallback');
  });

  it('a reference cycle fails the task that uses it, naming the cycle', () => {
    const v = resolveVars({ a: '{{b}}', b: '{{a}}', ok: 'fine' }, 'host h1');
    expect(v['ok']).to.equal('fine');
    const e = renderError(() => renderValue({ content: '{{a}}' }, v, "task 'deploy'"));
    expect(e.message).to.match(/^task 'deploy': variable '.' \(host h1\): reference cycle: (a -> b -> a|b -> a -> b)$/);
    const c = parseCondition('a == "x"');
    if (!c.ok) throw new Error(c.message);
    expect(() => evaluateCondition(c.expr, v, 'when')).to.throw(/reference cycle/);
  });

  it('a self reference is a cycle', () => {
    const v = resolveVars({ a: 'x{{a}}' }, 'h');
    expect(renderError(() => renderString('{{a}}', v, 't')).message).to.include('reference cycle: a -> a');
  });

  it(`a chain longer than ${MAX_VAR_CHAIN} fails with a clear message, never a stack overflow`, () => {
    const vars: Record<string, unknown> = {};
    for (let i = 1000; i >= 1; i--) vars[`v${i}`] = `{{v${i - 1}}}`; // the deepest key is read first
    vars['v0'] = 'end';
    const v = resolveVars(vars, 'h');
    expect(v['v50']).to.equal('end');
    expect(renderError(() => renderString('{{v1000}}', v, 't')).message).to.match(/more than 100 deep/);
  });

  it(`an exponential expansion stops at ${MAX_RENDER_CHARS / 1024 / 1024} MiB per value`, () => {
    const vars: Record<string, unknown> = { a0: 'xxxxxxxxxxxxxxxx' };
    for (let i = 1; i <= 40; i++) vars[`a${i}`] = `{{a${i - 1}}}{{a${i - 1}}}`;
    const v = resolveVars(vars, 'h');
    expect((v['a19'] as string).length).to.equal(16 * 2 ** 19);
    expect(v['a21']).to.equal(undefined);
    expect(renderError(() => renderString('{{a40}}', v, 't')).message).to.include('exceeds the limit of 16 MiB');
  });
});

describe('render limits', () => {
  it('a loop whose output passes the limit fails with a clear message', () => {
    const big = 'y'.repeat(1024 * 1024);
    const e = renderError(() => renderString('{% for i in items %}{{ big }}{{ big }}{% endfor %}', { items: Array(20).fill(1), big }, 'task'));
    expect(e.message).to.equal('task: template output exceeds the limit of 16 MiB (see docs/templating.md, "Limits")');
  });

  it('filter output and concatenation count too', () => {
    const e = renderError(() => renderString('{% for i in items %}{{ big | upper }}{% endfor %}', { items: Array(40).fill(1), big: 'z'.repeat(1024 * 1024) }, 'task'));
    expect(e.message).to.include('exceeds the limit');
    expect(renderError(() => renderString("{{ 'x' * 20000000 }}", {}, 't')).message).to.include('exceeds the limit');
    const v = renderError(() => renderValue("{% set s = namespace(t='y' * 1000000) %}{% for i in range(20) %}{% set s.t = s.t ~ 'y' * 1000000 %}{% endfor %}", {}, 't'));
    expect(v.message).to.include('exceeds the limit');
  });

  it('a lone expression counts too', () => {
    const e = renderError(() => renderValue('{{ big ~ big }}', { big: 'z'.repeat(9 * 1024 * 1024) }, 'task'));
    expect(e.message).to.include('exceeds the limit');
  });

  it(`blocks nested more than ${MAX_TEMPLATE_NESTING} deep are a syntax error with a position`, () => {
    const text = '{% if a %}'.repeat(MAX_TEMPLATE_NESTING + 2) + 'x' + '{% endif %}'.repeat(MAX_TEMPLATE_NESTING + 2);
    expect(renderError(() => renderString(text, { a: true }, 't')).message).to.match(/nested more than 100 deep \(line 1, col \d+\)/);
    const ok = '{% if a %}'.repeat(50) + 'x' + '{% endif %}'.repeat(50);
    expect(renderString(ok, { a: true }, 't')).to.equal('x');
  });

  it('nested brackets past the limit are refused', () => {
    const text = '{{ ' + '(not '.repeat(150) + 'a' + ')'.repeat(150) + ' }}';
    expect(renderError(() => renderString(text, { a: true }, 't')).message).to.include('nested more than 100 deep');
  });
});

describe('add_host vars are data', () => {
  it('a hostVars key set by add_host is not parsed again', () => {
    const hostVars = { copied: '{{api_token}}', declared: '{{api_token}}', api_token: 'T0ken' };
    const vars = resolveLayers({ hostVars }, 'h', ['copied']);
    expect(vars['copied']).to.equal('{{api_token}}');
    expect(vars['declared']).to.equal('T0ken');
  });
});

describe('resolvePending', () => {
  it('a play var that uses item resolves once the loop sets item, as in Ansible', () => {
    const vars = resolveVars({ line: 'user {{ item.name }}', fixed: 'x' }, 'h');
    expect(vars['line']).to.equal(undefined);
    const withItem = resolvePending({ ...vars, item: { name: '{{api_token}}' } }, 'h');
    expect(withItem['line']).to.equal('user {{api_token}}');
    expect(withItem['fixed']).to.equal('x');
  });
});
