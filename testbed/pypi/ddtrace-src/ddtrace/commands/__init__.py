# STAND-IN for offline tests; not Datadog's ddtrace.
