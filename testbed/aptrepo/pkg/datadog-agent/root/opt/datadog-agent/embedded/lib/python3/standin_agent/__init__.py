# STAND-IN for offline tests; not the Datadog Agent: the stand-in agent's internals.
