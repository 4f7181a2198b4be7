# STAND-IN for offline tests; not Datadog's ddtrace.
# Loaded by ddtrace-run through PYTHONPATH: patches Flask when (if) it is imported, then chains
# to any other sitecustomize on the path (as the real bootstrap does).
import importlib
import importlib.abc
import importlib.util
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


class _FlaskHook(importlib.abc.MetaPathFinder):
    """Post-import hook: patch flask right after `import flask` executes."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "flask":
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return None
        loader = spec.loader
        original_exec = loader.exec_module

        def exec_module(module):
            original_exec(module)
            try:
                from ddtrace._standin_tracer import patch_flask
                patch_flask(module)
            except Exception:  # noqa: BLE001 - never break the application
                pass

        loader.exec_module = exec_module
        return spec


if "flask" in sys.modules:
    from ddtrace._standin_tracer import patch_flask as _patch
    _patch(sys.modules["flask"])
else:
    sys.meta_path.insert(0, _FlaskHook())

# Chain to the next sitecustomize (e.g. Debian's /etc/python3.X/sitecustomize.py).
_me = sys.modules.get("sitecustomize")
_saved = list(sys.path)
try:
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
    del sys.modules["sitecustomize"]
    importlib.import_module("sitecustomize")
except ImportError:
    pass
finally:
    sys.path[:] = _saved
    if _me is not None:
        sys.modules["sitecustomize"] = _me
