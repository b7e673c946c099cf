"""The three credentials of the gateway (openapi/opentrade.yaml, components.securitySchemes).

Each credential turns one request -- method, request target (path and query exactly as sent) and body
bytes exactly as sent -- into the headers that authenticate it, and into the first frame of a WebSocket
stream opened without credential headers.
"""

import base64
import collections
import hashlib
import threading
import time

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

#: The SHA-256 of no bytes: the body line of a request without a body.
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()


def string_to_sign(timestamp, method, target, body):
    """The gateway's string to sign: four lines joined by ``\\n`` (no trailing newline).

    ``timestamp`` as sent in ``X-Timestamp``, ``method`` upper case, ``target`` the path with its query
    string exactly as sent, ``body`` the raw body bytes (``None`` or ``b""`` when there is none).
    """
    if isinstance(body, str):
        raise TypeError("sign the body's bytes as sent, not text: encode it first")
    digest = hashlib.sha256(body or b"").hexdigest()
    return "\n".join((str(timestamp), method.upper(), target, digest))


class SecretKey:
    """A ``secret`` key: ``X-API-Key`` + ``X-API-Secret`` on every request."""

    def __init__(self, key_id, secret):
        self.key_id = key_id
        self.secret = secret

    def headers(self, method, target, body):
        return {"X-API-Key": self.key_id, "X-API-Secret": self.secret}

    def auth_frame(self, target):
        return {"op": "auth", "api_key": self.key_id, "api_secret": self.secret}


class Session:
    """A session token (JWT) from ``POST /v1/sessions``: ``Authorization: Bearer``; valid 15 minutes."""

    def __init__(self, token):
        self.token = token

    def headers(self, method, target, body):
        return {"Authorization": "Bearer " + self.token}

    def auth_frame(self, target):
        return {"op": "auth", "token": self.token}


class Ed25519Key:
    """An ``ed25519`` key: each request signed with the private key, which never leaves the client.

    Sends ``X-API-Key``, ``X-Timestamp`` (epoch milliseconds) and ``X-Signature`` (padded standard base64,
    88 characters). The gateway accepts a timestamp within 30 s of its clock and each signed message
    once: two identical requests in the same millisecond would be one replay, so a request signed again
    within the millisecond of its last signing (two streams opened at once, two polls) is stamped one
    millisecond later (per key object; two objects of one key in a process may still collide).
    """

    def __init__(self, key_id, private_key, clock=time.time):
        if not isinstance(private_key, Ed25519PrivateKey):
            raise TypeError("private_key must be an Ed25519PrivateKey (see Ed25519Key.from_pem)")
        self.key_id = key_id
        self.private_key = private_key
        self._clock = clock
        self._lock = threading.Lock()
        self._last_signed = collections.OrderedDict()  # request -> last timestamp, the 256 most recent

    @classmethod
    def from_pem(cls, key_id, pem, clock=time.time):
        """From a PKCS#8 PEM private key (``openssl genpkey -algorithm ed25519``)."""
        key = serialization.load_pem_private_key(pem.encode("ascii") if isinstance(pem, str) else pem, password=None)
        return cls(key_id, key, clock)

    @staticmethod
    def generate():
        """A new private key; register ``public_key_base64(key)`` with ``POST /v1/keys``."""
        return Ed25519PrivateKey.generate()

    @staticmethod
    def public_key_base64(private_key):
        """The ``public_key`` field of ``POST /v1/keys``: base64 of the X.509 SubjectPublicKeyInfo DER."""
        der = private_key.public_key().public_bytes(serialization.Encoding.DER,
                                                    serialization.PublicFormat.SubjectPublicKeyInfo)
        return base64.b64encode(der).decode("ascii")

    def sign(self, timestamp, method, target, body):
        """``X-Signature`` for the given request parts."""
        message = string_to_sign(timestamp, method, target, body).encode("utf-8")
        return base64.b64encode(self.private_key.sign(message)).decode("ascii")

    def _timestamp(self, method, target, body):
        """The clock in ms, or one past the last timestamp this request was signed with when not behind it."""
        request = string_to_sign("", method, target, body)
        with self._lock:
            now = int(self._clock() * 1000)
            before = self._last_signed.pop(request, None)
            stamp = before + 1 if before is not None and before >= now else now
            self._last_signed[request] = stamp
            if len(self._last_signed) > 256:
                self._last_signed.popitem(last=False)
        return str(stamp)

    def headers(self, method, target, body):
        timestamp = self._timestamp(method, target, body)
        return {"X-API-Key": self.key_id, "X-Timestamp": timestamp,
                "X-Signature": self.sign(timestamp, method, target, body)}

    def auth_frame(self, target):
        """The stream's auth frame: signs the upgrade request (``GET`` ``target``, no body)."""
        timestamp = self._timestamp("GET", target, None)
        return {"op": "auth", "api_key": self.key_id, "timestamp": timestamp,
                "signature": self.sign(timestamp, "GET", target, None)}
