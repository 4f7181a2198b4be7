# STAND-IN for offline tests; not Datadog's ddtrace.
# `ddtrace-run [--info] command [args...]`: runs the command with tracing enabled by putting
# ddtrace/bootstrap (our sitecustomize) first on PYTHONPATH, like the real ddtrace-run.
import json
import os
import shutil
import sys
import urllib.request

import ddtrace
from ddtrace._standin_tracer import config

USAGE = "usage: ddtrace-run [-h] [-d] [-i] [-p] [-v] ... command [args ...]\n"


def _info():
    cfg = config()
    print("%s\n" % ddtrace.STANDIN)
    print("\x1b[1mTracer Configurations:\x1b[0m")
    print("    Tracer enabled: %s" % cfg["enabled"])
    print("    Application service: %s" % cfg["service"])
    print("    Application version: %s" % (cfg["version"] or "None"))
    print("    Application environment: %s" % (cfg["env"] or "None"))
    print("    Agent URL: %s" % cfg["agent_url"])
    print("    Tracer version: %s" % cfg["tracer_version"])
    print("    Integrations: flask")
    try:
        with urllib.request.urlopen(cfg["agent_url"] + "/info", timeout=2) as resp:
            info = json.loads(resp.read().decode() or "{}")
        print("    Agent error: None (agent %s reachable)" % info.get("version", "?"))
    except Exception as exc:  # noqa: BLE001
        print("    Agent error: %s" % exc)
    print("\nSummary\n    Tracer enabled: %s" % cfg["enabled"])
    return 0


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if opt in ("-i", "--info"):
            return _info()
        if opt in ("-v", "--version"):
            print(ddtrace.__version__)
            return 0
        if opt in ("-h", "--help"):
            sys.stdout.write(USAGE)
            return 0
        if opt in ("-d", "--debug"):
            os.environ["DD_TRACE_DEBUG"] = "true"
        # -p/--profiling and unknown flags: accepted and ignored by the stand-in
    if not args:
        sys.stderr.write(USAGE + "ddtrace-run: error: the following arguments are required: command\n")
        return 1
    boot = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bootstrap")
    pp = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = boot + (os.pathsep + pp if pp else "")
    exe = shutil.which(args[0])
    if exe is None:
        sys.stderr.write("ddtrace-run: error: %s: command not found\n" % args[0])
        return 127
    try:
        os.execl(exe, exe, *args[1:])
    except OSError as exc:
        sys.stderr.write("ddtrace-run: error: could not run %s: %s\n" % (args[0], exc))
        return 126
    return 0


if __name__ == "__main__":
    sys.exit(main())
