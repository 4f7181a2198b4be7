import random

try:
    from datadog_checks.base import AgentCheck   # Agent >= 6.6 (all Agent 7)
except ImportError:
    from checks import AgentCheck                 # Agent < 6.6 only

__version__ = "1.0.0"                             # shown in `datadog-agent status`


class MyMetricCheck(AgentCheck):
    def check(self, instance):
        self.gauge("my_metric", random.randint(0, 1000),
                   tags=["check:my_metric"] + instance.get("tags", []))
