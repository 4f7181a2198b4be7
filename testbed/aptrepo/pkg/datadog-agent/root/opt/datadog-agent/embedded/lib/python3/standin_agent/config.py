# STAND-IN for offline tests; not the Datadog Agent. Config loading like Agent 7.
import os
import re
import socket

import yaml

VERSION = "7.99.0"
DEFAULT_CONF_DIR = "/etc/datadog-agent"
SECRET_KEY = re.compile(r"(api_?key|app_?key|pass(word)?|pwd|secret|token)", re.I)


class ConfigError(Exception):
    pass


class Config(object):
    """The parsed datadog.yaml plus the derived paths."""

    def __init__(self, conf_dir, data):
        self.conf_dir = conf_dir
        self.path = os.path.join(conf_dir, "datadog.yaml")
        self.data = data or {}
        d = self.data
        self.confd_path = d.get("confd_path") or os.path.join(conf_dir, "conf.d")
        self.checksd_path = d.get("additional_checksd") or os.path.join(conf_dir, "checks.d")
        self.log_file = d.get("log_file") or "/var/log/datadog/agent.log"
        self.log_dir = os.path.dirname(self.log_file)
        self.run_path = d.get("run_path") or "/opt/datadog-agent/run"
        apm = d.get("apm_config") or {}
        env_apm = os.environ.get("DD_APM_ENABLED")
        self.apm_enabled = _truthy(env_apm) if env_apm is not None else _truthy(apm.get("enabled", True))
        self.apm_port = int(os.environ.get("DD_APM_RECEIVER_PORT") or apm.get("receiver_port") or 8126)
        self.bind_host = d.get("bind_host") or "127.0.0.1"
        if self.bind_host == "localhost":
            self.bind_host = "127.0.0.1"

    @property
    def api_key(self):
        return os.environ.get("DD_API_KEY") or self.data.get("api_key")

    @property
    def site(self):
        return os.environ.get("DD_SITE") or self.data.get("site") or "datadoghq.com"

    @property
    def tags(self):
        env_tags = os.environ.get("DD_TAGS")
        if env_tags:
            return env_tags.split()
        tags = self.data.get("tags") or []
        return [str(t) for t in (tags if isinstance(tags, list) else str(tags).split(","))]

    def hostname(self):
        """(hostname, provider) like `datadog-agent hostname`."""
        if os.environ.get("DD_HOSTNAME"):
            return os.environ["DD_HOSTNAME"], "environment"
        if self.data.get("hostname"):
            return str(self.data["hostname"]), "configuration"
        return socket.gethostname(), "os"


def _truthy(v):
    if isinstance(v, str):
        return v.strip().lower() in ("1", "true", "yes", "on", "y")
    return bool(v)


def load(conf_dir=None, require_api_key=False):
    """Parse <conf_dir>/datadog.yaml. conf_dir may also name the file itself."""
    conf_dir = conf_dir or DEFAULT_CONF_DIR
    if conf_dir.endswith((".yaml", ".yml")):
        path, conf_dir = conf_dir, os.path.dirname(conf_dir) or "."
    else:
        path = os.path.join(conf_dir, "datadog.yaml")
    if not os.path.exists(path):
        if require_api_key:
            raise ConfigError("unable to load Datadog config file: %s does not exist" % path)
        return Config(conf_dir, {})
    try:
        with open(path) as f:
            data = yaml.safe_load(f)
    except PermissionError as exc:
        raise ConfigError("unable to load Datadog config file: %s" % exc)
    except yaml.YAMLError as exc:
        raise ConfigError("unable to load Datadog config file %s: %s" % (path, exc))
    if data is not None and not isinstance(data, dict):
        raise ConfigError("unable to load Datadog config file %s: top level must be a mapping" % path)
    cfg = Config(conf_dir, data)
    cfg.path = path
    if require_api_key and not (cfg.api_key and str(cfg.api_key).strip()):
        raise ConfigError("no API key configured, exiting (set api_key in %s or DD_API_KEY)" % path)
    return cfg


def redact(value, key=""):
    """Deep copy with secrets replaced by ********."""
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, key) for v in value]
    if key and SECRET_KEY.search(key) and value not in (None, ""):
        return "********"
    return value
