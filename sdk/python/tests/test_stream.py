"""Stream: every data frame once and in order across dropped connections, gaps and silent servers."""

import threading
import unittest

from fake_ws_server import FakeStreamServer
from opentrade_sdk import SecretKey, Stream

TIMEOUT = 10.0


def order(seq, **extra):
    frame = {"channel": "orders", "seq": seq, "type": "order", "data": {"client_order_id": "c-%d" % seq}}
    frame.update(extra)
    return frame


class Recorder:
    """Collects what the stream delivers; ``wait_for(n)`` waits for n messages."""

    def __init__(self):
        self.messages, self.states = [], []
        self._cond = threading.Condition()

    def on_message(self, message):
        with self._cond:
            self.messages.append(message)
            self._cond.notify_all()

    def on_state(self, state, detail):
        with self._cond:
            self.states.append((state, detail))
            self._cond.notify_all()

    def wait_for(self, n):
        with self._cond:
            return self._cond.wait_for(lambda: len(self.messages) >= n, TIMEOUT)

    def seqs(self):
        return [m.seq for m in self.messages]


class StreamTest(unittest.TestCase):
    def run_stream(self, scripts, expected, **options):
        """Serves connection i with scripts[i] (later ones wait for the client to close) and returns
        the recorder once ``expected`` messages arrived, the stream closed and every script ended."""
        done = [threading.Event() for _ in scripts]

        def script(conn, index):
            if index >= len(scripts):
                conn.wait_closed(TIMEOUT)
                return
            try:
                scripts[index](conn)
            finally:
                done[index].set()

        server = FakeStreamServer(script)
        self.addCleanup(server.close)
        recorder = Recorder()
        stream = Stream(server.url, ["orders"], options.pop("credential", None), recorder.on_message,
                        on_state=recorder.on_state, min_backoff=0.01, max_backoff=0.05, **options)
        with stream:
            self.assertTrue(recorder.wait_for(expected), "delivered only %s" % recorder.seqs())
        for event in done:
            self.assertTrue(event.wait(TIMEOUT), "a connection script did not finish")
        self.assertEqual([], server.errors)
        return recorder, stream

    def test_resumes_after_a_dropped_connection_and_drops_duplicates(self):
        subscribes = []

        def first(conn):
            subscribes.append(conn.recv_json())
            conn.send_json({"type": "subscribed", "channels": ["orders"], "seqs": {"orders": 0}, "epoch": "e1"})
            for seq in (1, 2, 3):
                conn.send_json(order(seq))
            conn.drop()

        def second(conn):
            subscribes.append(conn.recv_json())
            conn.send_json({"type": "subscribed", "channels": ["orders"], "seqs": {"orders": 5}, "epoch": "e1"})
            for seq in (2, 3, 4, 5):  # 2 and 3 again, as a server racing the resume could
                conn.send_json(order(seq))
            conn.send_json({"type": "heartbeat", "seqs": {"orders": 5}, "time": "t", "epoch": "e1"})
            conn.wait_closed(TIMEOUT)

        recorder, stream = self.run_stream([first, second], 5)

        self.assertEqual([1, 2, 3, 4, 5], recorder.seqs())
        self.assertEqual({"op": "subscribe", "channels": ["orders"]}, subscribes[0])
        self.assertEqual({"op": "subscribe", "channels": ["orders"], "resume": {"orders": 3}, "epoch": "e1"},
                         subscribes[1])
        states = [s for s, _ in recorder.states]
        self.assertEqual(["connecting", "subscribed", "disconnected", "connecting", "subscribed"], states[:5])
        self.assertEqual("closed", states[-1])
        self.assertEqual({"orders": 5}, stream.last_seqs())

    def test_a_gap_reconnects_and_resumes_instead_of_delivering_out_of_order(self):
        resumes = []

        def first(conn):
            conn.recv_json()
            conn.send_json({"type": "subscribed", "channels": ["orders"], "seqs": {"orders": 0}, "epoch": "e1"})
            for seq in (1, 2, 4):  # 3 lost
                conn.send_json(order(seq))
            self.assertTrue(conn.wait_closed(TIMEOUT), "the client closes the connection with the gap")

        def second(conn):
            resumes.append(conn.recv_json().get("resume"))
            conn.send_json({"type": "subscribed", "channels": ["orders"], "seqs": {"orders": 5}, "epoch": "e1"})
            for seq in (3, 4, 5):
                conn.send_json(order(seq))
            conn.wait_closed(TIMEOUT)

        recorder, _ = self.run_stream([first, second], 5)

        self.assertEqual([1, 2, 3, 4, 5], recorder.seqs())
        self.assertEqual([{"orders": 2}], resumes)
        self.assertIn("gap on orders: 4 after 2", [d for s, d in recorder.states if s == "disconnected"])

    def test_a_silent_connection_is_replaced_after_the_heartbeat_timeout(self):
        resumes = []

        def first(conn):
            conn.recv_json()
            conn.send_json({"type": "subscribed", "channels": ["orders"], "seqs": {"orders": 0}, "epoch": "e1"})
            conn.send_json(order(1))
            self.assertTrue(conn.wait_closed(TIMEOUT), "the client gives up the silent connection")

        def second(conn):
            resumes.append(conn.recv_json().get("resume"))
            conn.send_json({"type": "subscribed", "channels": ["orders"], "seqs": {"orders": 2}, "epoch": "e1"})
            conn.send_json(order(2))
            conn.wait_closed(TIMEOUT)

        recorder, _ = self.run_stream([first, second], 2, heartbeat_timeout=0.5)

        self.assertEqual([1, 2], recorder.seqs())
        self.assertEqual([{"orders": 1}], resumes)
        self.assertTrue(any(s == "disconnected" and d.startswith("no frame for") for s, d in recorder.states),
                        recorder.states)

    def test_snapshots_are_delivered_whole_and_a_heartbeat_ahead_is_a_gap(self):
        first_frames, resumes = [], []

        def first(conn):
            first_frames.append(conn.recv_json())
            first_frames.append(conn.recv_json())
            conn.send_json({"type": "subscribed", "channels": ["orders"], "seqs": {"orders": 7}, "epoch": "e2"})
            conn.send_json({"channel": "orders", "seq": 7, "type": "snapshot", "snapshot": True,
                            "data": {"open_orders": 2}})
            conn.send_json(order(7, snapshot=True))
            conn.send_json(order(7, snapshot=True))
            conn.send_json(order(8))
            conn.send_json({"type": "heartbeat", "seqs": {"orders": 9}, "time": "t", "epoch": "e2"})
            self.assertTrue(conn.wait_closed(TIMEOUT), "the client reconnects to get seq 9")

        def second(conn):
            self.assertEqual("auth", conn.recv_json()["op"], "every connection authenticates first")
            resumes.append(conn.recv_json())
            conn.send_json({"type": "subscribed", "channels": ["orders"], "seqs": {"orders": 9}, "epoch": "e2"})
            conn.send_json(order(9))
            conn.wait_closed(TIMEOUT)

        recorder, _ = self.run_stream([first, second], 5, credential=SecretKey("otk_k", "s3cret"), auth="frame")

        self.assertEqual([7, 7, 7, 8, 9], recorder.seqs())
        self.assertEqual(["snapshot", "order", "order", "order", "order"], [m.type for m in recorder.messages])
        self.assertEqual([True, True, True, False, False], [m.snapshot for m in recorder.messages])
        self.assertEqual({"op": "auth", "api_key": "otk_k", "api_secret": "s3cret"}, first_frames[0])
        self.assertEqual({"op": "subscribe", "channels": ["orders"]}, first_frames[1])
        self.assertEqual({"orders": 8}, resumes[0]["resume"])
        self.assertEqual("e2", resumes[0]["epoch"])

    def test_credential_headers_sign_the_upgrade_request(self):
        seen = []

        class Recording(SecretKey):
            def headers(self, method, target, body):
                seen.append((method, target, body))
                return super().headers(method, target, body)

        headers = []

        def first(conn):
            headers.append(conn.headers)
            conn.recv_json()
            conn.send_json({"type": "subscribed", "channels": ["orders"], "seqs": {"orders": 0}, "epoch": "e1"})
            conn.send_json(order(1))
            conn.wait_closed(TIMEOUT)

        self.run_stream([first], 1, credential=Recording("otk_k", "s3cret"))

        self.assertEqual([("GET", "/v1/stream/orders", None)], seen)
        self.assertEqual("otk_k", headers[0]["x-api-key"])
        self.assertEqual("s3cret", headers[0]["x-api-secret"])


if __name__ == "__main__":
    unittest.main()
