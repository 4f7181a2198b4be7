# STAND-IN for offline tests; not Datadog's ddtrace. This dir goes on PYTHONPATH under ddtrace-run.
