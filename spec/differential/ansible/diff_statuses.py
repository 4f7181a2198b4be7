# A stdout callback that prints one JSON line per task result, so the differential suite can
# compare Ansible's statuses with play's --json events. (ansible.builtin has no json callback:
# that one lives in ansible.posix, which a CI machine with only ansible-core lacks.)
import json
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'diff_statuses'

    def _emit(self, result, status):
        msg = result._result.get('msg', '') if status == 'failed' else ''
        line = {'host': result._host.get_name(), 'task': result._task.get_name(), 'action': result._task.action, 'status': status, 'msg': str(msg)[:300]}
        print('DIFF ' + json.dumps(line), flush=True)

    def v2_runner_on_ok(self, result):
        self._emit(result, 'changed' if result._result.get('changed') else 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._emit(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._emit(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._emit(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        # the recap, per host, as play's recap event has it
        for h in sorted(stats.processed.keys()):
            print('STATS ' + json.dumps({'host': h, **stats.summarize(h)}), flush=True)
