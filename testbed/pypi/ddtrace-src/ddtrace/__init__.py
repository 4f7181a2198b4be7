# STAND-IN for offline tests; not Datadog's ddtrace.
# Only what the exercise uses: `ddtrace-run` tracing Flask requests to the local trace agent.
__version__ = "4.14.0+standin"
STANDIN = "STAND-IN for offline tests; not Datadog's ddtrace"


def __getattr__(name):
    if name == "tracer":
        from ddtrace._standin_tracer import get_tracer
        return get_tracer()
    raise AttributeError(name)
