"""The generated REST client with a credential: every request is authenticated as it leaves.

The generated ``opentrade.ApiClient`` serialises the body and builds the URL; its ``RESTClientObject``
hands both to a urllib3 pool manager. ``SigningPoolManager`` stands in for that pool manager and sees
each request last, so an Ed25519 signature covers exactly the bytes and the request target that go
on the wire: the body is encoded to UTF-8 once here (urllib3 would send text as Latin-1) and the target
is what urllib3 itself sends (``parse_url(url).request_uri``, after its own percent-encoding).
"""

import secrets
import string
import time
from urllib.parse import urlsplit, urlunsplit

import opentrade
import urllib3
from opentrade.exceptions import ApiException
from urllib3.util import parse_url

try:  # urllib3 2.x
    from urllib3._request_methods import RequestMethods
except ImportError:  # urllib3 1.26 (Debian 12)
    from urllib3.request import RequestMethods

from .errors import (ConnectionException, OrderStatusUnknownException, UnexpectedResponseException,
                     add_error_model, typed)
from .stream import Stream

#: The Java SDK's defaults: how long one attempt waits for its answer (the gateway itself answers 504
#: after 5 s), and for its connection.
DEFAULT_REQUEST_TIMEOUT = 10.0
DEFAULT_CONNECT_TIMEOUT = 5.0
#: Attempts after the first: a refused connection (nothing was sent) is tried again whatever the method, a GET,
#: HEAD or OPTIONS also after a timeout or a broken answer; nothing else is resent here (``place_order`` and
#: ``close_position`` resend under their key themselves; the Java SDK also resends any keyed request).
RETRIES = 3
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The longest ``Retry-After`` a round of ``place_order`` or ``close_position`` waits (the Java SDK's ``maxRetryAfter``).
MAX_RETRY_AFTER = 10.0


class SigningPoolManager(RequestMethods):
    """Sends each request through the wrapped pool manager, with the credential's headers when there is one.

    It retries, not urllib3: urllib3's default also resent a DELETE that timed out (a close position's sell, twice),
    and resent the same Ed25519 signature, which the gateway refuses as a replay (401 -2010). Each attempt here is
    signed afresh. Redirects are not followed (the gateway's API answers none, and urllib3 carried ``X-API-Secret``
    to whatever host a redirect named).
    """

    def __init__(self, inner, credential):
        super().__init__()
        self._inner = inner
        self.credential = credential

    def urlopen(self, method, url, redirect=True, **kw):
        body = kw.get("body")
        if isinstance(body, str):
            body = body.encode("utf-8")
            kw["body"] = body
        target = parse_url(url).request_uri
        plain = dict(kw.pop("headers", None) or {})
        kw.pop("retries", None)
        for attempt in range(RETRIES + 1):
            headers = dict(plain)
            if self.credential is not None:
                headers.update(self.credential.headers(method.upper(), target, body))
            try:
                return self._inner.urlopen(method, url, redirect=False, retries=False, headers=headers, **kw)
            except urllib3.exceptions.ConnectTimeoutError:  # refused or not connected in time (NewConnectionError too)
                if attempt == RETRIES:
                    raise
            except (urllib3.exceptions.ReadTimeoutError, urllib3.exceptions.ProtocolError):
                if attempt == RETRIES or method.upper() not in _SAFE_METHODS:
                    raise

    def clear(self):
        self._inner.clear()


class _ApiClient(opentrade.ApiClient):
    """The generated client with a default timeout, and every failure an ``ApiException``: a network
    error or timeout is a ``ConnectionException``, an answer that does not fit its model an
    ``UnexpectedResponseException`` (instead of urllib3's and pydantic's own exceptions)."""

    def __init__(self, configuration, timeout):
        super().__init__(configuration)
        self.timeout = timeout

    def request(self, method, url, *args, **kwargs):
        if kwargs.get("_request_timeout") is None:
            kwargs["_request_timeout"] = self.timeout
        try:
            return super().request(method, url, *args, **kwargs)
        except ApiException as e:
            if not e.status:  # the generated client's own "no answer" (an SSL error): the outcome is unknown
                raise ConnectionException("no answer to %s %s: %s" % (method, url, e.reason)) from e
            if isinstance(e.body, bytes):
                # the generated client decodes it as UTF-8 next: a proxy's Latin-1 page raised UnicodeDecodeError
                e.body = e.body.decode("utf-8", "replace").encode("utf-8")
            raise typed(add_error_model(e)) from None  # an error answer: its error model on it, typed
        except (urllib3.exceptions.HTTPError, OSError) as e:
            cause = getattr(e, "reason", None) or e  # MaxRetryError: the last attempt's error
            raise ConnectionException("no answer to %s %s: %s" % (method, url, cause)) from e

    def deserialize(self, response, response_type):
        try:
            return super().deserialize(response, response_type)
        except ApiException:
            raise
        except (ValueError, TypeError) as e:  # pydantic's ValidationError is a ValueError
            raise UnexpectedResponseException(
                response, "the answer is not a valid %s: %s" % (response_type, e)) from e


def api_client(base_url, credential=None, request_timeout=DEFAULT_REQUEST_TIMEOUT,
               connect_timeout=DEFAULT_CONNECT_TIMEOUT):
    """A generated ``opentrade.ApiClient`` for ``base_url`` (e.g. ``http://localhost:8080``).

    With a credential (``SecretKey``, ``Ed25519Key`` or ``Session``) every request carries it. A call
    without its own ``_request_timeout`` waits ``connect_timeout`` seconds for the connection and
    ``request_timeout`` for the answer.
    """
    client = _ApiClient(opentrade.Configuration(host=base_url.rstrip("/")), (connect_timeout, request_timeout))
    client.rest_client.pool_manager = SigningPoolManager(client.rest_client.pool_manager, credential)
    return client


#: Placement rounds of ``OpenTrade.place_order`` (each: the placement, then a look-up if it got no answer).
PLACEMENT_ROUNDS = 3

_ID_CHARS = string.ascii_lowercase + string.digits


def new_client_order_id():
    """A fresh client order id: ``sdk-`` and 24 random base-36 characters (within the contract's 48)."""
    return "sdk-" + "".join(secrets.choice(_ID_CHARS) for _ in range(24))


def _outcome_unknown(e):
    """A failure after which the order may or may not exist: no answer, an unreadable answer, a 5xx, or a 409 with
    ``Retry-After`` (-4115: the first attempt under the same key is still being answered)."""
    return (isinstance(e, (ConnectionException, UnexpectedResponseException)) or (e.status or 0) >= 500
            or (e.status == 409 and getattr(e, "retry_after", None) is not None))


def _pause(e):
    """Waits what the failed round's answer asked (``Retry-After``, at most ``MAX_RETRY_AFTER``) before the next."""
    wait = getattr(e, "retry_after", None)
    if wait:
        time.sleep(min(wait, MAX_RETRY_AFTER))


class OpenTrade:
    """The generated APIs of one gateway and one credential, and its streams.

    ``developers``, ``keys``, ``market``, ``trading``, ``metering``, ``traces`` and ``operations`` are the
    generated ``*Api`` classes (method names are the contract's operationIds in snake_case, e.g.
    ``trading.place_order``; ``place_order`` here is the safe one, as the Java SDK's). ``credential`` may be None for sign-up and log-in. ``request_timeout`` (10 s)
    and ``connect_timeout`` (5 s) bound each attempt; every failure raises an ``ApiException``
    (``opentrade_sdk.errors``).
    """

    def __init__(self, base_url, credential=None, request_timeout=DEFAULT_REQUEST_TIMEOUT,
                 connect_timeout=DEFAULT_CONNECT_TIMEOUT):
        self.base_url = base_url.rstrip("/")
        self.credential = credential
        self.request_timeout = request_timeout
        self.connect_timeout = connect_timeout
        self.api_client = api_client(self.base_url, credential, request_timeout, connect_timeout)
        self.developers = opentrade.DevelopersApi(self.api_client)
        self.keys = opentrade.KeysApi(self.api_client)
        self.market = opentrade.MarketApi(self.api_client)
        self.trading = opentrade.TradingApi(self.api_client)
        self.metering = opentrade.MeteringApi(self.api_client)
        self.traces = opentrade.TracesApi(self.api_client)
        self.operations = opentrade.OperationsApi(self.api_client)

    def place_order(self, order, rounds=PLACEMENT_ROUNDS):
        """Places an order exactly once, as the Java SDK's ``placeOrder`` does, and returns the ``Order``.

        The order always carries a ``client_order_id`` (one is generated, on a copy, when ``order`` has none:
        ``order`` is not changed, so a template placed twice is two orders) and sends it as
        ``Idempotency-Key`` too. When an attempt gets no answer, an unreadable one or a 5xx, the order is
        looked up by that id instead of guessed: found, it is returned; not found, the same placement is sent
        again (safe under the same id). A refusal (4xx) is raised at once, with its ``error_no``. After
        ``rounds`` rounds without an answer, ``OrderStatusUnknownException`` (with ``client_order_id``).
        """
        if order.client_order_id is None:
            order = order.copy(update={"client_order_id": new_client_order_id()})
        client_order_id = order.client_order_id
        last = None
        for _ in range(rounds):
            try:
                return self.trading.place_order(order, idempotency_key=client_order_id)
            except ApiException as e:
                if not _outcome_unknown(e):
                    raise
                last = e
                _pause(e)
            try:
                return self.trading.get_order_by_client_id(client_order_id)
            except ApiException as e:
                if e.status != 404:
                    last = e  # the look-up failed too: try both again
                # 404: the placement never arrived; sending it again under the same id is safe.
        raise OrderStatusUnknownException(
            client_order_id, "no answer placing order %s: %s" % (client_order_id, last)) from last

    def close_position(self, symbol, qty=None, rounds=PLACEMENT_ROUNDS, *, percentage=None, cancel_orders=False):
        """Closes the position in ``symbol`` exactly once, as the Java SDK's ``closePosition``: a market sell (IOC)
        of its sellable shares, ``qty`` of them, or ``percentage`` of the position (e.g. ``"50"``, rounded down to
        whole board lots), and returns the sell's ``Order``. ``cancel_orders=True`` cancels the symbol's open sell
        orders first, so the shares they hold are sold too.

        Every attempt carries one ``Idempotency-Key``, from which trade-api derives the sell's client order id, so
        an attempt that got no answer, an unreadable one or a 5xx is sent again under it and answers the sell the
        first one placed, never a second. A refusal (4xx: -4117 no position, -4102 nothing sellable now) is raised
        at once. After ``rounds`` attempts without an answer, ``OrderStatusUnknownException`` whose
        ``client_order_id`` is the key: calling ``trading.close_position(symbol, idempotency_key=key)`` later
        answers the sell if there was one.
        """
        key = "close-" + new_client_order_id()
        last = None
        for _ in range(rounds):
            try:
                return self.trading.close_position(symbol, qty=qty, percentage=percentage,
                                                   cancel_orders=True if cancel_orders else None, idempotency_key=key)
            except ApiException as e:
                if not _outcome_unknown(e):
                    raise
                last = e
                _pause(e)
        raise OrderStatusUnknownException(key, "no answer closing the position in %s (Idempotency-Key %s): %s"
                                          % (symbol, key, last)) from last

    def with_credential(self, credential):
        """The same gateway with another credential."""
        return OpenTrade(self.base_url, credential, self.request_timeout, self.connect_timeout)

    def ws_url(self, path):
        scheme, netloc, base_path, _, _ = urlsplit(self.base_url)
        return urlunsplit(({"https": "wss"}.get(scheme, "ws"), netloc, base_path + path, "", ""))

    def order_stream(self, on_message, cancel_on_disconnect=False, **options):
        """The order stream (``/v1/stream/orders``, channel ``orders``); see ``Stream``. Not started."""
        path = "/v1/stream/orders" + ("?cancel_on_disconnect=true" if cancel_on_disconnect else "")
        return Stream(self.ws_url(path), ["orders"], self.credential, on_message, **options)

    def market_stream(self, channels, on_message, **options):
        """The market stream (``/v1/stream/market``), e.g. ``["trades:600000.SH", "klines:1m:600000.SH"]``."""
        return Stream(self.ws_url("/v1/stream/market"), channels, self.credential, on_message, **options)

    def close(self):
        self.api_client.close()
