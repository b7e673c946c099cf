"""The SDK's own failures, all ``opentrade.exceptions.ApiException``: one ``except ApiException`` catches
every failure of a call, whether the gateway answered an error, did not answer, or answered what the
SDK cannot read. ``status`` is the HTTP status (0 when there was no answer), ``error_no`` the error
model's number when one is known (else None), ``reason`` a message that says what happened.

Every ``ApiException`` a call raises carries the error model's fields when the answer had it:
``error_no`` (e.g. -4116 unknown symbol), ``error`` (its message), ``trace_id``, and ``retry_after`` (the
seconds of ``Retry-After``, else None); the class tells the HTTP status (``NotFoundException`` and the
generated client's others), and for what the generated client leaves as a bare ``ApiException``:
``RateLimitException`` (429: wait ``retry_after``), ``OrderRejectedException`` (an order or its change refused:
409 or 422 with a -4xxx or -5xxx number).
"""

import json

from opentrade.exceptions import ApiException


class ConnectionException(ApiException):
    """No answer: the connection was refused or reset, or no answer came within the timeout.
    ``status`` 0, ``body`` None; the urllib3 error is the ``__cause__``."""

    error_no = None

    def __init__(self, reason):
        super().__init__(status=0, reason=reason)


class UnexpectedResponseException(ApiException):
    """An answer the SDK cannot read (its body does not fit the contract's model): ``status``, ``headers``
    and ``body`` are the answer's; the parsing error is the ``__cause__``."""

    error_no = None

    def __init__(self, response, reason):
        super().__init__(http_resp=response)
        self.reason = reason


class StreamRefusedException(ApiException):
    """The gateway refused a stream's credential for good (a 401 or 403 at the upgrade, or an error frame
    or close 1008 with a -2xxx number that another try cannot change): the stream has stopped.
    ``status`` is 401 / 403 at the upgrade, 0 after it; ``body`` the error model as JSON text."""

    def __init__(self, status, error, reason):
        super().__init__(status=status, reason=reason)
        self.error_no = error.get("error_no")
        self.body = json.dumps(error)


class OrderStatusUnknownException(ConnectionException):
    """``OpenTrade.place_order`` got no answer to the placement, nor to the look-ups by its client order id,
    in all its rounds: the order may or may not exist. Look it up later with
    ``trading.get_order_by_client_id(client_order_id)``; placing it again under the same id is safe (the
    gateway answers the order that exists). The last failure is the ``__cause__``."""

    def __init__(self, client_order_id, reason):
        super().__init__(reason)
        self.client_order_id = client_order_id


class RateLimitException(ApiException):
    """429: a rate limit (-3001 the key's weight, -3002 per symbol, -4109 trade-api's order rate); retry after
    ``retry_after`` seconds."""


class OrderRejectedException(ApiException):
    """An order, or a change to one, was refused (409 or 422 with a -4xxx or -5xxx ``error_no``: risk checks,
    the exchange's rejections, a conflicting ``client_order_id`` or ``Idempotency-Key``)."""


def typed(e):
    """``e``, or the same answer as the SDK's class for it when the generated client raised a bare
    ``ApiException`` (call ``add_error_model`` first)."""
    if type(e) is not ApiException or not e.status:
        return e
    if e.status == 429:
        cls = RateLimitException
    elif e.status in (409, 422) and e.error_no is not None and -6000 < e.error_no <= -4000:
        cls = OrderRejectedException
    else:
        return e
    out = cls(status=e.status, reason=e.reason)
    out.__dict__.update(e.__dict__)
    return out


def add_error_model(e):
    """Sets ``error_no``, ``error``, ``trace_id`` and ``retry_after`` on an ``ApiException`` from its answer
    (each None when the answer did not say)."""
    e.error_no = e.error = e.trace_id = e.retry_after = None
    body = e.body
    try:
        model = json.loads(body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body or "null")
    except (ValueError, UnicodeDecodeError):
        model = None
    if isinstance(model, dict) and isinstance(model.get("error_no"), int):
        e.error_no = model["error_no"]
        e.error = model.get("error")
        e.trace_id = model.get("trace_id")
    headers = e.headers or {}
    wait = headers.get("Retry-After") if hasattr(headers, "get") else None
    if wait is not None:
        try:
            e.retry_after = float(wait)
        except ValueError:
            pass
    return e
