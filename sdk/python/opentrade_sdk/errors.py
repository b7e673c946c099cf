"""The SDK's own failures, all ``opentrade.exceptions.ApiException``: one ``except ApiException`` catches
every failure of a call, whether the gateway answered an error, did not answer, or answered what the
SDK cannot read. ``status`` is the HTTP status (0 when there was no answer), ``error_no`` the error
model's number when one is known (else None), ``reason`` a message that says what happened.
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
