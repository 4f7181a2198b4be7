# STAND-IN for offline tests; not the Datadog Agent. Check discovery and one-shot runs.
import glob
import hashlib
import importlib.util
import inspect
import json
import os
import sys
import time
import traceback

import yaml

from datadog_checks import base as dcb


def discover(cfg):
    """{check_name: [config files]} following the Agent 7 conf.d rules."""
    found = {}
    if not os.path.isdir(cfg.confd_path):
        return found
    for entry in sorted(os.listdir(cfg.confd_path)):
        full = os.path.join(cfg.confd_path, entry)
        if os.path.isdir(full) and entry.endswith(".d"):
            name = entry[:-2]
            files = [f for f in sorted(glob.glob(os.path.join(full, "*.yaml")) + glob.glob(os.path.join(full, "*.yml")))
                     if os.path.getsize(f) > 0]
            if not files:
                defaults = [f for f in glob.glob(os.path.join(full, "conf.yaml.default")) if os.path.getsize(f) > 0]
                files = defaults
            if files:
                found.setdefault(name, []).extend(files)
        elif entry.endswith((".yaml", ".yml")) and os.path.getsize(full) > 0:
            found.setdefault(entry.rsplit(".", 1)[0], []).append(full)
    return found


def load_configs(cfg, name=None):
    """[(check_name, source_file, init_config, instances)] for every (or one) check."""
    out = []
    for check, files in sorted(discover(cfg).items()):
        if name and check != name:
            continue
        for path in files:
            with open(path) as f:
                data = yaml.safe_load(f) or {}
            if not isinstance(data, dict):
                raise ValueError("%s: top level must be a mapping" % path)
            instances = data.get("instances") or []
            out.append((check, path, data.get("init_config") or {}, instances))
    return out


def instance_id(check, instance, init_config):
    digest = hashlib.sha256(json.dumps([instance, init_config], sort_keys=True, default=str).encode()).hexdigest()
    return "%s:%s" % (check, digest[:16])


# Integrations the stand-in ships (the real Agent ships many more in embedded/).
BUILTIN = {"mysql": "standin_agent.mysql_check"}


def has_check(cfg, check):
    return check in BUILTIN or os.path.exists(os.path.join(cfg.checksd_path, check + ".py"))


def check_version(cfg, check):
    path = os.path.join(cfg.checksd_path, check + ".py")
    if os.path.exists(path) or check in BUILTIN:
        try:
            return getattr(_import_check(cfg, check), "__version__", "unversioned")
        except Exception:  # noqa: BLE001
            return "unversioned"
    return "stand-in"  # integrations (e.g. mysql) are configured but not implemented here


def _import_check(cfg, check):
    path = os.path.join(cfg.checksd_path, check + ".py")
    if not os.path.exists(path) and check in BUILTIN:
        return importlib.import_module(BUILTIN[check])
    if not os.path.exists(path):
        raise ImportError("could not find check %s: no %s (integration not shipped by the stand-in)" % (check, path))
    spec = importlib.util.spec_from_file_location(check, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[check] = module
    spec.loader.exec_module(module)
    return module


def _check_class(module):
    classes = [c for _, c in inspect.getmembers(module, inspect.isclass)
               if issubclass(c, dcb.AgentCheck) and c is not dcb.AgentCheck and c.__module__ == module.__name__]
    if not classes:
        raise ImportError("no subclass of AgentCheck found in %s" % module.__file__)
    return classes[-1]


def run_check(cfg, check, hostname):
    """Run every instance of `check` once. Returns a list of per-instance results."""
    configs = load_configs(cfg, check)
    if not configs:
        raise LookupError("no valid check found with name %s (looked in %s)" % (check, cfg.confd_path))
    module = _import_check(cfg, check)
    klass = _check_class(module)
    results = []
    for _check, source, init_config, instances in configs:
        for instance in instances or [{}]:
            instance = instance or {}
            iid = instance_id(check, instance, init_config)
            start = len(dcb.SUBMITTED)
            t0 = time.time()
            error = ""
            obj = None
            try:
                try:
                    obj = klass(check, init_config, [instance])
                except TypeError:
                    obj = klass(check, init_config, {}, [instance])
                obj.check_id = iid
                obj.check(instance)
            except Exception:  # noqa: BLE001 - reported, exit code set by caller
                error = traceback.format_exc()
            warnings = obj.get_warnings() if obj is not None else []
            subs = dcb.SUBMITTED[start:]
            del dcb.SUBMITTED[start:]  # keep a long-running daemon from growing
            for s in subs:
                s["host"] = s.get("host") or hostname
                s["check_id"] = iid
            results.append({"check": check, "instance_id": iid, "source": source,
                            "version": getattr(module, "__version__", "unversioned"),
                            "min_collection_interval": instance.get("min_collection_interval", 15),
                            "duration_ms": int((time.time() - t0) * 1000), "error": error, "warnings": warnings,
                            "metrics": [s for s in subs if s["kind"] == "metric"],
                            "service_checks": [s for s in subs if s["kind"] == "service_check"],
                            "events": [s for s in subs if s["kind"] == "event"]})
    return results


def print_results(results, as_json):
    if as_json:
        out = [{"aggregator": {
            "metrics": [{"metric": m["metric"], "points": [[int(m["timestamp"]), m["value"]]], "tags": m["tags"],
                         "host": m["host"], "type": m["type"], "interval": 0, "source_type_name": "System"}
                        for r in results for m in r["metrics"]],
            "service_checks": [{"check": s["name"], "status": s["status"], "tags": s["tags"], "host_name": s["host"],
                                "message": s["message"]} for r in results for s in r["service_checks"]],
            "events": [e["event"] for r in results for e in r["events"]]},
            "runner": {"Checks": {r["check"]: {r["instance_id"]: {
                "CheckName": r["check"], "CheckID": r["instance_id"], "CheckVersion": r["version"],
                "CheckConfigSource": "file:" + r["source"], "TotalRuns": 1, "TotalErrors": 1 if r["error"] else 0,
                "LastError": r["error"], "LastWarnings": r.get("warnings", []), "MetricSamples": len(r["metrics"]), "ExecutionTimes": [r["duration_ms"]],
                "MinCollectionInterval": r["min_collection_interval"]}} for r in results}},
            "standin": True}]
        print(json.dumps(out, indent=2))
        return
    print("=== Series ===")
    series = [{"metric": m["metric"], "points": [[int(m["timestamp"]), m["value"]]], "tags": m["tags"],
               "host": m["host"], "type": m["type"]} for r in results for m in r["metrics"]]
    print(json.dumps(series, indent=2))
    sc = [s for r in results for s in r["service_checks"]]
    if sc:
        print("=== Service Checks ===")
        print(json.dumps([{"check": s["name"], "status": s["status"], "tags": s["tags"]} for s in sc], indent=2))
    print("=========\nCollector\n=========\n\n  Running Checks\n  ==============\n")
    for r in results:
        title = "%s (%s)" % (r["check"], r["version"])
        print("    %s\n    %s" % (title, "-" * len(title)))
        print("      Instance ID: %s [%s]" % (r["instance_id"], "ERROR" if r["error"] else "OK"))
        print("      Configuration Source: file:%s" % r["source"])
        print("      Total Runs: 1\n      Metric Samples: Last Run: %d, Total: %d" % (len(r["metrics"]), len(r["metrics"])))
        print("      Average Execution Time : %dms" % r["duration_ms"])
        for w in r.get("warnings", []):
            print("      Warning: %s" % w)
        if r["error"]:
            print("      Error: %s" % r["error"].strip().splitlines()[-1])
            print("      Traceback:\n" + "\n".join("        " + l for l in r["error"].rstrip().splitlines()))
        print("")
