// template: Jinja .j2 files rendered as Ansible renders them (if/for/set/raw, whitespace control,
// trim_blocks, filters, ansible_managed), with mode/owner, into new and existing files. A template with an
// undefined variable is refused by play before any host is touched, so it has no case here (spec/unit covers it).
import type { DiffMatrix } from '../matrix.js';

const VARS = {
  app_name: 'diffapp',
  app_port: 8080,
  app_users: [{ name: 'ann', admin: true }, { name: 'bob', admin: false }, { name: 'cy', admin: true }],
  app_opts: { debug: false, workers: 4, tags: ['a', 'b'] },
  app_empty: '',
};

export const TEMPLATE: DiffMatrix = {
  module: 'template',
  setup: 'mkdir -p /srv/tp && printf "old\\n" > /srv/tp/existing.conf',
  files: {
    'templates/basic.j2': '# {{ ansible_managed }}\nname={{ app_name }}\nport={{ app_port + 1 }}\nupper={{ app_name | upper }}\n',
    'templates/control.j2': [
      '{% set admins = app_users | selectattr("admin") | map(attribute="name") | list %}',
      '{% if admins %}',
      'admins={{ admins | join(",") }}',
      '{% endif %}',
      '{% for u in app_users %}',
      'user{{ loop.index }}={{ u.name }}{{ " (admin)" if u.admin else "" }}',
      '{% endfor %}',
      '{%- for k, v in app_opts | dictsort %}',
      '{{ k }}: {{ v | to_json }}',
      '{%- endfor %}',
      '',
      'empty={{ app_empty | default("none", true) }}',
      '{% raw %}{{ kept }} {% if %}{% endraw %}',
      '',
    ].join('\n'),
    'templates/nice.j2': '{{ app_opts | to_nice_yaml }}---\n{{ app_opts | to_nice_json }}\n',
    'templates/composed.j2': [
      '{% import "parts/macros.j2" as m %}',
      '{% from "parts/macros.j2" import kv %}',
      '{% for u in app_users %}',
      '{% include "parts/user.j2" %}',
      '{% endfor %}',
      '{{ kv("port", app_port) }}',
      '{% call m.section("opts") %}workers={{ app_opts.workers }}{% endcall %}',
      'motd={{ lookup("file", "motd.txt") }}',
      'ratio={{ app_port / 80 }} {{ app_opts.workers | float }}',
      '{% include "parts/absent.j2" ignore missing %}',
      '',
    ].join('\n'),
    'templates/parts/macros.j2': '{% macro kv(k, v) %}{{ k }}={{ v }}{% endmacro %}\n{% macro section(t) %}[{{ t }}]\n{{ caller() }}\n[/{{ t }}]{% endmacro %}\n',
    'templates/parts/user.j2': '- {{ u.name }}{{ " (admin)" if u.admin }}\n',
    'files/motd.txt': 'hello from files/\n\n',
  },
  cases: [
    { name: 'variables, arithmetic, filters and ansible_managed', roots: ['srv/tp/basic.conf'], tasks: [{ template: { src: 'basic.j2', dest: '/srv/tp/basic.conf', mode: '0640' }, vars: VARS }] },
    { name: 'if, for, set, raw and whitespace control', roots: ['srv/tp/control.conf'], tasks: [{ template: { src: 'control.j2', dest: '/srv/tp/control.conf' }, vars: VARS }] },
    { name: 'to_nice_yaml and to_nice_json', roots: ['srv/tp/nice.conf'], tasks: [{ template: { src: 'nice.j2', dest: '/srv/tp/nice.conf' }, vars: VARS }] },
    { name: 'include, import, from, call and a file lookup', roots: ['srv/tp/composed.conf'], tasks: [{ template: { src: 'composed.j2', dest: '/srv/tp/composed.conf' }, vars: VARS }] },
    { name: 'replaces an existing file, keeping nothing of it', roots: ['srv/tp/existing.conf'], tasks: [{ template: { src: 'basic.j2', dest: '/srv/tp/existing.conf' }, vars: VARS }] },
  ],
};
