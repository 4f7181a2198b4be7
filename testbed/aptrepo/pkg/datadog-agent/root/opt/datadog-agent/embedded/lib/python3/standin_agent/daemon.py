# STAND-IN for offline tests; not the Datadog Agent. `agent run`: trace receiver + periodic checks.
import json
import logging
import os
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import checks
from .config import VERSION, redact

log = logging.getLogger("standin-agent")
_write_lock = threading.Lock()


def _append(path, record):
    with _write_lock:
        with open(path, "a") as f:
            f.write(json.dumps(record, default=str) + "\n")


def _handler(traces_file):
    class Receiver(BaseHTTPRequestHandler):
        server_version = "datadog-trace-agent-standin/" + VERSION

        def log_message(self, fmt, *args):
            log.debug("receiver: " + fmt, *args)

        def _record(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items() if "api-key" not in k.lower() and "apikey" not in k.lower()}
            try:
                body = json.loads(raw.decode("utf-8")) if raw else None
            except (ValueError, UnicodeDecodeError):
                body = {"_raw_base64": __import__("base64").b64encode(raw).decode()}
            _append(traces_file, {"time": time.time(), "method": self.command, "path": self.path,
                                  "headers": headers, "body": body})

        def _reply(self, code, obj):
            data = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path.split("?")[0] == "/info":
                self._reply(200, {"version": VERSION, "standin": "STAND-IN for offline tests; not the Datadog Agent",
                                  "endpoints": ["/v0.3/traces", "/v0.4/traces", "/v0.5/traces", "/info"],
                                  "client_drop_p0s": False})
            else:
                self._reply(404, {"error": "not found"})

        def do_PUT(self):
            self._record()
            self._reply(200, {"rate_by_service": {"service:,env:": 1}})

        do_POST = do_PUT

    return Receiver


def _check_loop(cfg, hostname, stop, metrics_file, state_file):
    """Run each configured instance at its min_collection_interval; record to metrics.jsonl."""
    state, next_due = {}, {}
    while not stop.is_set():
        try:
            configs = checks.load_configs(cfg)
        except Exception as exc:  # noqa: BLE001
            log.error("loading check configs: %s", exc)
            configs = []
        now = time.time()
        for check, _src, init_config, instances in configs:
            if not checks.has_check(cfg, check):
                continue  # integrations the stand-in does not ship are listed by `status` only
            for inst in instances or [{}]:
                iid = checks.instance_id(check, inst or {}, init_config)
                if next_due.get(iid, 0) > now:
                    continue
                next_due[iid] = now + float((inst or {}).get("min_collection_interval", 15))
                try:
                    results = [r for r in checks.run_check(cfg, check, hostname) if r["instance_id"] == iid]
                except Exception as exc:  # noqa: BLE001
                    results = [{"instance_id": iid, "error": str(exc), "metrics": []}]
                for r in results:
                    st = state.setdefault(iid, {"check": check, "total_runs": 0, "total_errors": 0})
                    st["total_runs"] += 1
                    st["total_errors"] += 1 if r["error"] else 0
                    st["last_error"] = r["error"]
                    st["last_run"] = time.time()
                    for m in r["metrics"]:
                        _append(metrics_file, m)
        try:
            with open(state_file + ".tmp", "w") as f:
                json.dump({"pid": os.getpid(), "checks": state}, f)
            os.replace(state_file + ".tmp", state_file)
        except OSError as exc:
            log.warning("writing %s: %s", state_file, exc)
        stop.wait(1.0)


def run(cfg, hostname):
    """The daemon. Config has been validated by the caller."""
    os.makedirs(cfg.log_dir, exist_ok=True)
    logging.basicConfig(filename=cfg.log_file, level=logging.INFO,
                        format="%(asctime)s | CORE | %(levelname)s | %(message)s")
    with open(os.path.join(cfg.log_dir, "starts.log"), "a") as f:
        f.write("%s pid=%d\n" % (time.strftime("%Y-%m-%dT%H:%M:%S%z"), os.getpid()))
    log.info("Starting Datadog Agent STAND-IN v%s (hostname %s, config %s)", VERSION, hostname, cfg.path)
    log.info("config: %s", json.dumps(redact(cfg.data), default=str))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server = None
    if cfg.apm_enabled:
        server = ThreadingHTTPServer((cfg.bind_host, cfg.apm_port), _handler(os.path.join(cfg.log_dir, "traces.jsonl")))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        log.info("APM receiver listening on %s:%d", cfg.bind_host, cfg.apm_port)
    else:
        log.info("APM disabled (apm_config.enabled: false)")
    state_file = os.path.join(cfg.run_path, "standin-status.json")
    try:
        os.makedirs(cfg.run_path, exist_ok=True)
    except OSError:
        state_file = os.path.join(cfg.log_dir, "standin-status.json")
    t = threading.Thread(target=_check_loop, args=(cfg, hostname, stop, os.path.join(cfg.log_dir, "metrics.jsonl"),
                                                   state_file), daemon=True)
    t.start()
    while not stop.is_set():
        stop.wait(0.5)
    log.info("Stopping Datadog Agent STAND-IN")
    if server:
        server.shutdown()
        server.server_close()
    return 0
