# STAND-IN for offline tests; not the Datadog Agent.
