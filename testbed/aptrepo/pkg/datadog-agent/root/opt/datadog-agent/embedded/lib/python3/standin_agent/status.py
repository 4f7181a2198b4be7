# STAND-IN for offline tests; not the Datadog Agent. `agent status` and `agent configcheck`.
import json
import os
import platform
import time

from . import checks, forwarder
from .config import VERSION, redact

PIDFILE = "/var/run/datadog/agent.pid"


def daemon_pid(cfg):
    """Pid of the running daemon, or None."""
    for path in (os.environ.get("DD_STANDIN_PIDFILE") or PIDFILE, os.path.join(cfg.run_path, "agent.pid")):
        try:
            with open(path) as f:
                pid = int(f.read().strip())
            os.kill(pid, 0)
            return pid
        except (OSError, ValueError):
            continue
    return None


def _runtime_state(cfg):
    for path in (os.path.join(cfg.run_path, "standin-status.json"), os.path.join(cfg.log_dir, "standin-status.json")):
        try:
            with open(path) as f:
                return json.load(f).get("checks", {})
        except (OSError, ValueError):
            continue
    return {}


def collect(cfg):
    hostname, provider = cfg.hostname()
    pid = daemon_pid(cfg)
    state = _runtime_state(cfg) if pid else {}
    running = {}
    for check, source, init_config, instances in checks.load_configs(cfg):
        entry = running.setdefault(check, {})
        for inst in instances or [{}]:
            iid = checks.instance_id(check, inst or {}, init_config)
            st = state.get(iid, {})
            entry[iid] = {"CheckName": check, "CheckID": iid, "CheckVersion": checks.check_version(cfg, check),
                          "CheckConfigSource": "file:" + source,
                          "MinCollectionInterval": (inst or {}).get("min_collection_interval", 15),
                          "Instance": redact(inst or {}), "InitConfig": redact(init_config),
                          "TotalRuns": st.get("total_runs", 0), "TotalErrors": st.get("total_errors", 0),
                          "LastError": st.get("last_error", "")}
    traces = 0
    try:
        with open(os.path.join(cfg.log_dir, "traces.jsonl")) as f:
            traces = sum(1 for line in f if '"/v0.' in line)
    except OSError:
        pass
    return {"version": VERSION, "standin": "STAND-IN for offline tests; not the Datadog Agent",
            "running": pid is not None, "pid": pid, "hostname": hostname, "hostnameProvider": provider,
            "hostTags": cfg.tags, "site": cfg.site, "config": {"path": cfg.path, "confd_path": cfg.confd_path,
                                                               "checksd_path": cfg.checksd_path},
            "runnerStats": {"Checks": running},
            "apmStats": {"enabled": cfg.apm_enabled, "receiver_port": cfg.apm_port, "bind_host": cfg.bind_host,
                         "running": bool(pid and cfg.apm_enabled),
                         "receiver": [{"Lang": "python", "TracesReceived": traces}] if traces else []},
            # Like the real Agent: the forwarder's view of the site (API key valid there? errors?).
            "forwarderStats": forwarder.validate(cfg) if pid else {}}


def print_status(cfg, as_json):
    s = collect(cfg)
    if as_json:
        print(json.dumps(s, indent=2, default=str))
        return 0 if s["running"] else 1
    title = "Agent (v%s) STAND-IN for offline tests; not the Datadog Agent" % s["version"]
    print("=" * len(title) + "\n" + title + "\n" + "=" * len(title) + "\n")
    print("  Status date: %s" % time.strftime("%Y-%m-%d %H:%M:%S %Z"))
    print("  Pid: %s" % (s["pid"] if s["running"] else "not running"))
    print("  Python Version: %s" % platform.python_version())
    print("\n  Paths\n  =====")
    print("    Config File: %s\n    conf.d: %s\n    checks.d: %s" % (cfg.path, cfg.confd_path, cfg.checksd_path))
    print("\n  Hostnames\n  =========")
    print("    hostname: %s\n    hostname provider: %s" % (s["hostname"], s["hostnameProvider"]))
    print("    host tags:")
    for t in s["hostTags"]:
        print("      %s" % t)
    print("\n=========\nCollector\n=========\n\n  Running Checks\n  ==============")
    for check, instances in sorted(s["runnerStats"]["Checks"].items()):
        for iid, st in instances.items():
            head = "%s (%s)" % (check, st["CheckVersion"])
            print("\n    %s\n    %s" % (head, "-" * len(head)))
            print("      Instance ID: %s [%s]" % (iid, "ERROR" if st["LastError"] else "OK"))
            print("      Configuration Source: %s" % st["CheckConfigSource"])
            print("      min_collection_interval: %s" % st["MinCollectionInterval"])
            print("      Instance: %s" % json.dumps(st["Instance"], default=str))
            print("      Total Runs: %d" % st["TotalRuns"])
            if st["LastError"]:
                print("      Error: %s" % st["LastError"].strip().splitlines()[-1])
    apm = s["apmStats"]
    print("\n=========\nAPM Agent\n=========")
    print("  apm_config.enabled: %s" % ("true" if apm["enabled"] else "false"))
    print("  Status: %s" % ("Running" if apm["running"] else "Not running"))
    print("  Receiver: %s:%d" % (apm["bind_host"], apm["receiver_port"]))
    print("  receiver_port: %d" % apm["receiver_port"])
    if not s["running"]:
        print("\nError: could not reach agent: the stand-in agent daemon is not running")
        return 1
    return 0


def print_configcheck(cfg):
    print("=== Configuration STAND-IN for offline tests; not the Datadog Agent ===")
    for check, source, init_config, instances in checks.load_configs(cfg):
        print("\n=== %s check ===" % check)
        print("Configuration provider: file\nConfiguration source: file:%s" % source)
        for inst in instances or [{}]:
            print("Config for instance ID: %s" % checks.instance_id(check, inst or {}, init_config))
            print(json.dumps(redact(inst or {}), indent=2, default=str))
            print("~")
        print("Init Config:\n%s" % json.dumps(redact(init_config), indent=2, default=str))
        print("===")
    print("\n=== datadog.yaml (%s) ===" % cfg.path)
    print(json.dumps(redact(cfg.data), indent=2, default=str))
    return 0
