// notify names, as Ansible reads them: a templated name (`notify: "{{ agent_dd_notify_agent }}"`,
// `{% if old %}restart a{% else %}restart b{% endif %}`) is rendered with the task's vars on the host.
import { renderValue } from '../render/template.js';
import type { Vars } from '../types.js';

export const isTemplated = (name: string): boolean => name.includes('{{') || name.includes('{%');

/** The handler names or topics a task notifies on this host; a name that does not render stays as written. */
export function notifyNames(names: readonly string[], vars: () => Vars, at: string): string[] {
  if (!names.some(isTemplated)) return [...names];
  let v: Vars | undefined;
  return names.map((n) => {
    if (!isTemplated(n)) return n;
    try {
      v ??= vars();
      return String(renderValue(n, v, at)).trim();
    } catch {
      return n;
    }
  });
}
