# STAND-IN for offline tests; not the Datadog Agent.
# Minimal `datadog_checks.base` so custom checks written for Agent 7
# (`from datadog_checks.base import AgentCheck`) run under the stand-in agent.
import logging
import time

__all__ = ["AgentCheck", "ConfigurationError", "is_affirmative", "SUBMITTED"]

# Everything submitted by checks in this process: dicts with kind/name/value/tags/type.
SUBMITTED = []


class ConfigurationError(Exception):
    pass


def is_affirmative(value):
    if isinstance(value, str):
        return value.strip().lower() in ("yes", "true", "1", "y", "on")
    return bool(value)


class AgentCheck(object):
    OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
    HTTP_CONFIG_REMAPPER = None

    def __init__(self, *args, **kwargs):
        # New style: (name, init_config, instances); legacy: (name, init_config, agentConfig, instances)
        self.name = kwargs.get("name", args[0] if len(args) > 0 else "")
        self.init_config = kwargs.get("init_config", args[1] if len(args) > 1 else {}) or {}
        instances = kwargs.get("instances")
        if instances is None:
            if len(args) > 3:
                instances = args[3]
            elif len(args) > 2:
                instances = args[2]
        if isinstance(instances, dict):
            instances = [instances]
        self.instances = list(instances or [])
        self.instance = self.instances[0] if self.instances else None
        self.agentConfig = kwargs.get("agentConfig", {})
        self.check_id = ""
        self.log = logging.getLogger("checks.%s" % self.name)
        self.warnings = []

    # --- submission -------------------------------------------------------
    def _submit(self, mtype, name, value, tags=None, hostname=None, device_name=None, **_kw):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError("Metric %s has non-numeric value %r" % (name, value))
        tags = list(tags or [])
        if device_name:
            tags.append("device:%s" % device_name)
        SUBMITTED.append({"kind": "metric", "check": self.name, "check_id": self.check_id,
                          "metric": name, "value": value, "tags": tags, "type": mtype,
                          "host": hostname, "timestamp": time.time()})

    def gauge(self, name, value, tags=None, hostname=None, device_name=None, raw=False):
        self._submit("gauge", name, value, tags, hostname, device_name)

    def count(self, name, value, tags=None, hostname=None, device_name=None, raw=False):
        self._submit("count", name, value, tags, hostname, device_name)

    def monotonic_count(self, name, value, tags=None, hostname=None, device_name=None, raw=False):
        self._submit("monotonic_count", name, value, tags, hostname, device_name)

    def rate(self, name, value, tags=None, hostname=None, device_name=None, raw=False):
        self._submit("rate", name, value, tags, hostname, device_name)

    def histogram(self, name, value, tags=None, hostname=None, device_name=None, raw=False):
        self._submit("histogram", name, value, tags, hostname, device_name)

    def increment(self, name, value=1, tags=None, hostname=None, device_name=None):
        self._submit("count", name, value, tags, hostname, device_name)

    def decrement(self, name, value=-1, tags=None, hostname=None, device_name=None):
        self._submit("count", name, value, tags, hostname, device_name)

    def service_check(self, name, status, tags=None, hostname=None, message=None, raw=False):
        SUBMITTED.append({"kind": "service_check", "check": self.name, "check_id": self.check_id,
                          "name": name, "status": int(status), "tags": list(tags or []),
                          "host": hostname, "message": message or "", "timestamp": time.time()})

    def event(self, event):
        SUBMITTED.append({"kind": "event", "check": self.name, "check_id": self.check_id,
                          "event": dict(event), "timestamp": time.time()})

    def warning(self, msg, *args):
        text = msg % args if args else str(msg)
        self.warnings.append(text)
        self.log.warning(text)

    def get_warnings(self):
        out, self.warnings = self.warnings, []
        return out

    # --- running ----------------------------------------------------------
    def check(self, instance):
        raise NotImplementedError

    def run(self):
        """Run once on self.instance; returns '' on success or the error text (like the real base)."""
        try:
            self.check(self.instance if self.instance is not None else {})
            return ""
        except Exception as exc:  # noqa: BLE001 - reported to the caller like the real Agent
            return "%s: %s" % (type(exc).__name__, exc)
