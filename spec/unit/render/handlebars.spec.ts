import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { shellQuote } from '../../../runner/render/helpers.js';
import { handlebarsRoots as templateRoots } from '../../../runner/render/handlebars-roots.js';
import { renderHandlebars as renderString } from '../../../runner/render/handlebars.js';
import { renderError } from './support.js';

const WHERE = "task 'Write conf' roles/x/tasks/main.yml:12";
const vars = {
  name: 'web',
  port: 8080,
  on: true,
  nothing: null,
  ports: [80, 443],
  cfg: { a: 'b', nested: { deep: 1 } },
  users: [{ name: 'ann', shell: 'bash' }, { name: 'bob', shell: 'zsh' }],
  text: 'one\ntwo\nthree',
};

describe('.hbs files (Handlebars)', () => {
  it('renders variables, paths and no HTML escaping', () => {
    expect(renderString('{{name}}:{{ port }} <{{cfg.a}}> & "{{cfg.nested.deep}}"', vars, WHERE)).to.equal('web:8080 <b> & "1"');
    expect(renderString('no mustache here', vars, WHERE)).to.equal('no mustache here');
    expect(renderString('{{ports.[1]}} {{ports}} {{cfg}} [{{nothing}}]', vars, WHERE)).to.equal('443 [80,443] {"a":"b","nested":{"deep":1}} []');
  });

  it('throws RenderError naming an undefined variable and the where', () => {
    const e = renderError(() => renderString('line1\nport={{ prot }}', vars, WHERE));
    expect(e.message).to.contain("undefined variable 'prot'");
    expect(e.message).to.contain(WHERE);
    expect(e.message).to.contain('line 2');
    expect(e.where).to.equal(WHERE);
    expect(renderError(() => renderString('{{cfg.missing}}', vars, WHERE)).message).to.contain("'cfg.missing'");
    expect(renderError(() => renderString('{{json nope}}', vars, WHERE)).message).to.contain("'nope'");
    expect(renderError(() => renderString('{{#each nope}}x{{/each}}', vars, WHERE)).message).to.contain("'nope'");
    expect(renderError(() => renderString('{{#if nope}}x{{/if}}', vars, WHERE)).message).to.contain("'nope'");
    expect(renderError(() => renderString('{{#each users}}{{nmae}}{{/each}}', vars, WHERE)).message).to.contain("'nmae'");
  });

  it('default works for undefined and null values, in strict mode', () => {
    expect(renderString('{{default missing "fb"}}|{{default nothing "n"}}|{{default name "x"}}', vars, WHERE)).to.equal('fb|n|web');
    expect(renderString('{{default missing.deeper.still 7}}', vars, WHERE)).to.equal('7');
    expect(renderString('{{#if (defined missing)}}yes{{else}}no{{/if}}', vars, WHERE)).to.equal('no');
    expect(renderError(() => renderString('{{default missing other}}', vars, WHERE)).message).to.contain("'other'");
  });

  it('quote helper single-quotes for POSIX shells', () => {
    expect(renderString('echo {{quote name}}', vars, WHERE)).to.equal("echo 'web'");
    expect(shellQuote("it's")).to.equal(`'it'\\''s'`);
    expect(renderString('{{quote ports}}', vars, WHERE)).to.equal("'80' '443'");
  });

  it('quote survives an injection string through sh -c', () => {
    const evil = `a'b"c $(echo PWNED) \`echo PWNED\` $HOME ; rm -rf /nonexistent \\ \n next line * ?`;
    const cmd = renderString('printf %s {{quote evil}}', { evil }, WHERE);
    const out = execFileSync('sh', ['-c', cmd], { encoding: 'utf8' });
    expect(out).to.equal(evil);
  });

  it('json, yaml, join, lower, upper, indent', () => {
    expect(renderString('{{json cfg}}', vars, WHERE)).to.equal('{"a":"b","nested":{"deep":1}}');
    expect(renderString('{{json ports 2}}', vars, WHERE)).to.equal('[\n  80,\n  443\n]');
    expect(renderString('{{yaml cfg}}', vars, WHERE)).to.equal('a: b\nnested:\n  deep: 1');
    expect(renderString('{{join ports}} {{join ports " "}}', vars, WHERE)).to.equal('80,443 80 443');
    expect(renderString('{{lower "AbC"}}{{upper name}}', vars, WHERE)).to.equal('abcWEB');
    expect(renderString('x:\n  {{indent text 2}}', vars, WHERE)).to.equal('x:\n  one\n  two\n  three');
    expect(renderString('{{indent "a\n\nb" 4 true}}', vars, WHERE)).to.equal('    a\n\n    b');
  });

  it('eq, ne, and, or, not in #if', () => {
    const t = '{{#if (eq port 8080)}}A{{/if}}{{#if (ne name "web")}}B{{/if}}{{#if (and on (not nothing))}}C{{/if}}{{#if (or nothing ports)}}D{{/if}}{{#unless (eq cfg.a "b")}}E{{/unless}}';
    expect(renderString(t, vars, WHERE)).to.equal('ACD');
    expect(renderString('{{#if (eq cfg (lookup vars "x"))}}same{{/if}}', { cfg: { a: 1 }, vars: { x: { a: 1 } } }, WHERE)).to.equal('same');
  });

  it('each with block params, @index, ../ and standalone lines', () => {
    const t = 'users:\n{{#each users as |u i|}}\n  - {{i}} {{u.name}} {{../name}}\n{{/each}}\nend';
    expect(renderString(t, vars, WHERE)).to.equal('users:\n  - 0 ann web\n  - 1 bob web\nend');
  });

  it('reports syntax errors, unknown helpers and partials', () => {
    expect(renderError(() => renderString('a {{name', vars, WHERE)).message).to.match(/syntax error.*line 1/);
    expect(renderError(() => renderString('{{frob name}}', vars, WHERE)).message).to.contain("unknown helper 'frob'");
    expect(renderError(() => renderString('{{> part}}', vars, WHERE)).message).to.contain('partials');
    expect(renderError(() => renderString('{{quote}}', vars, WHERE)).message).to.contain('quote: expected 1');
  });

  it('caches by text and renders per host', () => {
    const t = 'host={{name}}';
    expect(renderString(t, { name: 'a' }, WHERE)).to.equal('host=a');
    expect(renderString(t, { name: 'b' }, WHERE)).to.equal('host=b');
  });
});

describe('handlebarsRoots', () => {
  it('lists outer-context roots only', () => {
    const t = '{{name}} {{cfg.a}} {{json ports}} {{#each users as |u|}}{{u.name}}{{shell}}{{../port}}{{@index}}{{this}}{{/each}}{{#if on}}{{text}}{{/if}}{{default maybe "x"}}{{@root.extra}}';
    expect(templateRoots(t)).to.deep.equal({ ok: true, roots: ['name', 'cfg', 'ports', 'users', 'port', 'on', 'text', 'extra'] });
    expect(templateRoots('{{#with cfg}}{{a}}{{/with}}{{#o}}{{x}}{{/o}}{{#if (defined z)}}{{/if}}')).to.deep.equal({ ok: true, roots: ['cfg', 'o'] });
    expect(templateRoots('plain')).to.deep.equal({ ok: true, roots: [] });
  });

  it('reports syntax errors with line and col', () => {
    expect(templateRoots('ok\n  {{#if x}}\n{{/each}}')).to.include({ ok: false, line: 2 });
    const r = templateRoots('line one\nand {{ name }');
    expect(r).to.include({ ok: false, line: 2 });
    if (!r.ok) expect(r.col).to.be.a('number');
    expect(templateRoots('{{x | lower}}')).to.include({ ok: false, line: 1, col: 5 });
    expect(templateRoots('\n {{frob x}}')).to.deep.equal({ ok: false, message: "unknown helper 'frob'", line: 2, col: 2 });
  });
});
