"""Client: every call is bounded by a timeout, and a failure to get an answer raises the SDK's
ApiException (ConnectionException), not urllib3's errors."""

import socket
import threading
import time
import unittest

from opentrade.exceptions import ApiException
from opentrade_sdk import ConnectionException, OpenTrade, OrderRejectedException, RateLimitException, SecretKey
from opentrade_sdk.errors import add_error_model, typed

BOUND = 5.0  # seconds: far above the tests' timeouts times urllib3's 4 attempts of a GET


class SilentServer:
    """Accepts connections on 127.0.0.1 and never answers."""

    def __init__(self):
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.accepted = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                sock, _ = self._server.accept()
            except OSError:
                return
            self.accepted.append(sock)

    def close(self):
        self._server.close()
        for sock in self.accepted:
            sock.close()


def closed_port():
    with socket.create_server(("127.0.0.1", 0)) as s:
        return s.getsockname()[1]


class TimeoutsAndNetworkErrorsTest(unittest.TestCase):
    def test_the_default_timeouts_are_the_java_sdks(self):
        ot = OpenTrade("http://127.0.0.1:1", SecretKey("otk_k", "s"))
        self.assertEqual((10.0, 5.0), (ot.request_timeout, ot.connect_timeout))
        self.assertEqual((5.0, 10.0), ot.api_client.timeout)  # urllib3's (connect, read)
        self.assertEqual((10.0, 5.0), (lambda o: (o.request_timeout, o.connect_timeout))(
            ot.with_credential(None)))

    def test_a_server_that_never_answers_times_out_with_a_connection_exception(self):
        server = SilentServer()
        self.addCleanup(server.close)
        ot = OpenTrade("http://127.0.0.1:%d" % server.port, SecretKey("otk_k", "s"), request_timeout=0.3,
                       connect_timeout=0.3)

        started = time.monotonic()
        with self.assertRaises(ConnectionException) as raised:
            ot.market.get_quotes("600000.SH")
        elapsed = time.monotonic() - started

        self.assertLess(elapsed, BOUND)
        self.assertGreaterEqual(elapsed, 0.3)
        self.assertIsInstance(raised.exception, ApiException)
        self.assertEqual(0, raised.exception.status)
        self.assertIsNone(raised.exception.error_no)
        self.assertIn("timed out", raised.exception.reason)
        self.assertIn("/v1/market/quotes", raised.exception.reason)

    def test_a_refused_connection_raises_a_connection_exception(self):
        ot = OpenTrade("http://127.0.0.1:%d" % closed_port(), connect_timeout=0.5)

        started = time.monotonic()
        with self.assertRaises(ConnectionException) as raised:
            ot.market.get_quotes("600000.SH")

        self.assertLess(time.monotonic() - started, BOUND)
        self.assertIsInstance(raised.exception, ApiException)
        self.assertEqual(0, raised.exception.status)
        self.assertIn("refused", raised.exception.reason)





class ErrorModelTest(unittest.TestCase):
    """An error answer's model on the exception, and the SDK's class where the generated client has none."""

    @staticmethod
    def answer(status, body, headers=None):
        e = ApiException(status=status, reason="reason")
        e.body, e.headers = body, headers or {}
        return typed(add_error_model(e))

    def test_a_429_is_a_rate_limit_exception_with_its_wait(self):
        e = self.answer(429, b'{"error":"slow down","error_no":-3002,"trace_id":"%s"}' % (b"a" * 32), {"Retry-After": "2"})
        self.assertIsInstance(e, RateLimitException)
        self.assertEqual((429, -3002, "slow down", "a" * 32, 2.0), (e.status, e.error_no, e.error, e.trace_id, e.retry_after))

    def test_an_order_refusal_is_an_order_rejected_exception(self):
        for status, number in ((422, -4116), (409, -4115), (422, -5005)):
            e = self.answer(status, ('{"error":"no","error_no":%d,"trace_id":"t"}' % number).encode())
            self.assertIsInstance(e, OrderRejectedException, (status, number))
            self.assertEqual(number, e.error_no)

    def test_other_answers_keep_their_class_and_a_body_without_the_model_has_none(self):
        e = self.answer(422, b'{"error":"bad","error_no":-1002,"trace_id":"t"}')
        self.assertIs(type(e), ApiException)
        self.assertEqual(-1002, e.error_no)
        e = self.answer(502, b"<html>bad gateway</html>")
        self.assertIs(type(e), ApiException)
        self.assertEqual((None, None, None, None), (e.error_no, e.error, e.trace_id, e.retry_after))


if __name__ == "__main__":
    unittest.main()
