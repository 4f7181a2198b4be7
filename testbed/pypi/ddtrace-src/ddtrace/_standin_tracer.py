# STAND-IN for offline tests; not Datadog's ddtrace.
# A tiny tracer: Flask request spans sent as JSON to the trace agent's /v0.4/traces from a
# background thread. Never raises into the application.
import atexit
import json
import logging
import os
import queue
import random
import threading
import time
import urllib.request

from ddtrace import __version__

log = logging.getLogger("ddtrace.standin")
_tracer = None


def _enabled():
    return os.environ.get("DD_TRACE_ENABLED", "true").strip().lower() not in ("0", "false", "no", "off")


def agent_url():
    url = os.environ.get("DD_TRACE_AGENT_URL")
    if url:
        return url.rstrip("/")
    host = os.environ.get("DD_AGENT_HOST") or "localhost"
    port = os.environ.get("DD_TRACE_AGENT_PORT") or "8126"
    return "http://%s:%s" % (host, port)


def config():
    return {"service": os.environ.get("DD_SERVICE") or "flask", "env": os.environ.get("DD_ENV") or "",
            "version": os.environ.get("DD_VERSION") or "", "agent_url": agent_url(), "enabled": _enabled(),
            "tracer_version": __version__}


class Tracer(object):
    def __init__(self):
        self.cfg = config()
        self._q = queue.Queue(maxsize=1000)
        self._thread = threading.Thread(target=self._worker, name="ddtrace-standin-writer", daemon=True)
        self._thread.start()
        atexit.register(self.flush, 2.0)

    def new_id(self):
        return random.getrandbits(63) or 1

    def submit(self, span):
        try:
            self._q.put_nowait([span])
        except queue.Full:
            log.debug("ddtrace stand-in: dropping span, queue full")

    def _send(self, traces):
        body = json.dumps(traces).encode("utf-8")
        req = urllib.request.Request(self.cfg["agent_url"] + "/v0.4/traces", data=body, method="PUT", headers={
            "Content-Type": "application/json", "Datadog-Meta-Lang": "python",
            "Datadog-Meta-Tracer-Version": __version__, "X-Datadog-Trace-Count": str(len(traces))})
        try:
            with urllib.request.urlopen(req, timeout=2) as resp:
                resp.read()
        except Exception as exc:  # noqa: BLE001 - the agent may be down; never break the app
            log.debug("ddtrace stand-in: failed to send traces to %s: %s", self.cfg["agent_url"], exc)

    def _worker(self):
        while True:
            traces = [self._q.get()]
            while True:
                try:
                    traces.append(self._q.get_nowait())
                except queue.Empty:
                    break
            self._send(traces)
            for _ in traces:
                self._q.task_done()

    def flush(self, timeout=2.0):
        deadline = time.time() + timeout
        while self._q.unfinished_tasks and time.time() < deadline:
            time.sleep(0.05)


def get_tracer():
    global _tracer
    if _tracer is None:
        _tracer = Tracer()
    return _tracer


def _resource(app, environ):
    method = environ.get("REQUEST_METHOD", "GET")
    try:
        rule, _args = app.url_map.bind_to_environ(environ).match(return_rule=True)
        return "%s %s" % (method, rule.rule), rule.rule
    except Exception:  # noqa: BLE001 - 404/405 etc.
        return "%s %s" % (method, environ.get("PATH_INFO", "/")), None


def patch_flask(flask_module):
    """Wrap flask.Flask.wsgi_app so every request produces a flask.request span."""
    Flask = flask_module.Flask
    if getattr(Flask, "_ddtrace_standin_patched", False) or not _enabled():
        return
    original = Flask.wsgi_app

    def wsgi_app(self, environ, start_response):
        tracer = get_tracer()
        status = {"code": 500}

        def _start_response(st, headers, exc_info=None):
            try:
                status["code"] = int(str(st).split()[0])
            except (ValueError, IndexError):
                pass
            return start_response(st, headers, exc_info) if exc_info else start_response(st, headers)

        start = time.time_ns()
        error = None
        try:
            return original(self, environ, _start_response)
        except BaseException as exc:
            error = exc
            raise
        finally:
            try:
                resource, route = _resource(self, environ)
                cfg = tracer.cfg
                meta = {"component": "flask", "span.kind": "server", "http.method": environ.get("REQUEST_METHOD", ""),
                        "http.url": "http://%s%s" % (environ.get("HTTP_HOST", ""), environ.get("PATH_INFO", "")),
                        "http.status_code": str(status["code"]), "language": "python",
                        "_dd.standin": "STAND-IN for offline tests; not Datadog's ddtrace"}
                if route:
                    meta["http.route"] = route
                if cfg["env"]:
                    meta["env"] = cfg["env"]
                if cfg["version"]:
                    meta["version"] = cfg["version"]
                if error is not None:
                    meta["error.type"] = type(error).__name__
                    meta["error.message"] = str(error)
                trace_id = tracer.new_id()
                tracer.submit({"trace_id": trace_id, "span_id": trace_id, "parent_id": 0, "name": "flask.request",
                               "service": cfg["service"], "resource": resource, "type": "web", "start": start,
                               "duration": time.time_ns() - start,
                               "error": 1 if (error is not None or status["code"] >= 500) else 0,
                               "meta": meta, "metrics": {"_sampling_priority_v1": 1, "_dd.top_level": 1}})
            except Exception as exc:  # noqa: BLE001
                log.debug("ddtrace stand-in: span not recorded: %s", exc)

    Flask.wsgi_app = wsgi_app
    Flask._ddtrace_standin_patched = True
