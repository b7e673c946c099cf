"""Client: every call is bounded by a timeout, and a failure to get an answer raises the SDK's
ApiException (ConnectionException), not urllib3's errors."""

import socket
import threading
import time
import unittest

from opentrade.exceptions import ApiException
from opentrade_sdk import ConnectionException, OpenTrade, SecretKey

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


if __name__ == "__main__":
    unittest.main()
