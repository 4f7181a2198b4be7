# STAND-IN for offline tests; not the Datadog Agent. What the real forwarder learns from the
# site: is the API key valid there (GET https://api.<site>/api/v1/validate)? Where the real Agent
# resolves api.<site> through DNS and TLS, the stand-in reads the URL template from
# /etc/datadog-agent/standin-api-url (e.g. http://127.0.0.1:8703/{site}); without it, https://api.<site>.
import json
import os
import urllib.error
import urllib.request

URL_FILE = "/etc/datadog-agent/standin-api-url"


def api_url(site):
    template = os.environ.get("DD_STANDIN_API_URL")
    if not template:
        try:
            with open(URL_FILE) as f:
                template = f.read().strip()
        except OSError:
            template = ""
    template = template or "https://api.{site}"
    return template.replace("{site}", site).rstrip("/")


def key_label(api_key):
    return "API key ending with %s" % str(api_key)[-5:]


def validate(cfg):
    """forwarderStats like the real `status --json`: APIKeyStatus / APIKeyFailure / Transactions."""
    label = key_label(cfg.api_key or "")
    url = api_url(cfg.site)
    stats = {"APIKeyStatus": {}, "APIKeyFailure": {}, "Endpoint": url,
             "Transactions": {"Success": 0, "Errors": 0, "ErrorsByType": {}, "HTTPErrorsByCode": {}}}
    req = urllib.request.Request(url + "/api/v1/validate", headers={"DD-API-KEY": str(cfg.api_key or "")})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            body = json.loads(resp.read().decode() or "{}")
        if body.get("valid") is True:
            stats["APIKeyStatus"][label] = "API Key valid"
            stats["Transactions"]["Success"] = 1
        else:
            stats["APIKeyFailure"][label] = "API Key invalid"
    except urllib.error.HTTPError as exc:
        stats["APIKeyFailure"][label] = "API Key invalid" if exc.code in (401, 403) else "Unable to validate API Key (HTTP %d)" % exc.code
        stats["Transactions"]["Errors"] = 1
        stats["Transactions"]["HTTPErrorsByCode"][str(exc.code)] = 1
    except (OSError, ValueError) as exc:
        stats["APIKeyFailure"][label] = "Unable to validate API Key: %s" % exc
        stats["Transactions"]["Errors"] = 1
        stats["Transactions"]["ErrorsByType"]["ConnectionErrors"] = 1
    return stats
