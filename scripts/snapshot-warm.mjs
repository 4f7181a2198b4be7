// Run at snapshot build time (scripts/snapshot-entry.mjs), before the heap is saved: a playbook-shaped
// and an inventory-shaped YAML document parsed and schema-checked, templates and a condition checked
// and rendered. Their code is then compiled in the snapshot instead of at every start (the YAML parser
// was most of loading a 30-task playbook: ~45 of ~90 ms of main-thread samples, before it was warmed).
// Only pure functions run here: nothing that reads the environment, the working directory or files.
import { parseYaml } from '../dist/runner/load/yaml.js';
import { validateFile } from '../dist/runner/load/validate.js';
import { checkTemplate, renderValue } from '../dist/runner/render/jinja/index.js';
import { parseCondition } from '../dist/runner/render/jinja/condition.js';

const PLAYBOOK = `# a comment
- name: warm
  hosts: all
  gather_facts: false
  vars:
    app: warm
    port: 8080
    list: [a, b, 'c']
    flag: yes
  tasks:
    - name: a directory
      file: {path: /srv/warm, state: directory, mode: "0755"}
    - name: a file
      copy:
        dest: /srv/warm/a
        content: |
          line one
          line {{ app }}
        mode: '0644'
    - name: a template
      template: {src: warm.j2, dest: /srv/warm/b}
      when: port | int > 80 and app is defined
      notify: restart
    - name: a command
      command: /bin/true
      args:
        creates: /srv/warm/c
  handlers:
    - name: restart
      command: /bin/true
`;

const INVENTORY = `all:
  children:
    warm:
      hosts:
        w1:
          ansible_host: 127.0.0.1
          ansible_port: 22
          ansible_user: root
        w2: {ansible_host: 127.0.0.2, ansible_port: 2222}
`;

export function warmUp() {
  for (let i = 0; i < 3; i++) {
    const pb = parseYaml('warm.yml', PLAYBOOK);
    if (pb.ok) validateFile(pb.value, 'playbook.schema.json');
    parseYaml('inventory.yml', INVENTORY);
  }
  const vars = { app: 'warm', port: '8080', list: ['a', 'b'], d: { k: 1 } };
  for (const t of ['{{ app }}', 'x-{{ app | upper }}-{{ port | int + 1 }}', '{{ list | join(",") }}', '{% if d.k %}{{ d.k }}{% endif %}']) {
    checkTemplate(t);
    renderValue({ a: t, b: [t, 1], c: 'plain' }, vars, 'warm-up');
  }
  parseCondition('port | int > 80 and app is defined');
}
