#!/usr/bin/env python3
"""Sends Ed25519-signed requests through a running gateway and prints, per request, what was signed and
sent and what the gateway answered, as JSON lines, for PythonSdkIT to check with the gateway's own
verifier (org.opentrade.gateway.domain.Ed25519Signatures). Not a unittest: it needs a gateway.

    gateway_signing_check.py BASE_URL

First line: {"public_key": ...}. Then one line per request: name, method, target, body_b64, timestamp,
signature, status, answer. The request named "control" is signed by another key on purpose.
"""

import base64
import json
import sys
import uuid

import opentrade
from urllib3.util import parse_url
from opentrade_sdk import Ed25519Key, OpenTrade, Session

from developer import new_developer


class Recorder:
    """Between the signing pool manager and urllib3's: remembers each request as it goes out."""

    def __init__(self, inner):
        self.inner = inner
        self.last = None

    def urlopen(self, method, url, redirect=True, **kw):
        self.last = {"method": method, "target": parse_url(url).request_uri, "body": kw.get("body") or b"",
                     "headers": dict(kw.get("headers") or {})}
        return self.inner.urlopen(method, url, redirect=redirect, **kw)

    def clear(self):
        self.inner.clear()


def main(base_url):
    suffix = uuid.uuid4().hex[:12]
    anonymous, token = new_developer(base_url, "Signer")
    private_key = Ed25519Key.generate()
    public_key = Ed25519Key.public_key_base64(private_key)
    key = anonymous.with_credential(Session(token)).keys.create_key(opentrade.ApiKeyCreate(
        type="ed25519", public_key=public_key, scopes=["market:read", "trade"]))
    print(json.dumps({"public_key": public_key}), flush=True)

    requests = [
        ("non-ascii body", "POST", "/v1/orders",
         '{"symbol":"600000.SH","side":"buy","type":"limit","qty":100,"price":"10.00",'
         '"client_order_id":"sig-%s","note":"买入 Bücher ✓"}' % suffix),
        ("repeated parameters", "GET", "/v1/market/quotes?symbols=600000.SH&symbols=000001.SZ&symbols=600000.SH", None),
        ("repeated parameters, path", "GET", "/v1/market/klines/600000.SH?interval=1m&limit=3&limit=2", None),
        ("control", "GET", "/v1/account", None),
    ]
    for name, method, target, body in requests:
        signer = Ed25519Key(key.key_id, Ed25519Key.generate() if name == "control" else private_key)
        client = OpenTrade(base_url, signer).api_client
        recorder = Recorder(client.rest_client.pool_manager._inner)
        client.rest_client.pool_manager._inner = recorder
        answer = client.rest_client.pool_manager.request(
            method, base_url.rstrip("/") + target, body=body, headers={"Content-Type": "application/json"},
            preload_content=True, **({} if body is not None else {"fields": {}}))
        sent = recorder.last
        print(json.dumps({"name": name, "method": sent["method"], "target": sent["target"],
                          "body_b64": base64.b64encode(sent["body"]).decode("ascii"),
                          "timestamp": sent["headers"]["X-Timestamp"], "signature": sent["headers"]["X-Signature"],
                          "status": answer.status, "answer": answer.data.decode("utf-8", "replace")}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
