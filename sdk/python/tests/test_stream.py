"""Stream: every data frame once and in order across dropped connections, gaps and silent servers; a
credential refused for good stops the stream, other failures are retried."""

import json
import threading
import unittest

from fake_ws_server import FakeStreamServer
from opentrade.exceptions import ApiException
from opentrade_sdk import Ed25519Key, SecretKey, Stream, StreamRefusedException
from opentrade_sdk.stream import is_permanent_refusal

TIMEOUT = 10.0


def order(seq, **extra):
    frame = {"channel": "orders", "seq": seq, "type": "order", "data": {"client_order_id": "c-%d" % seq}}
    frame.update(extra)
    return frame


class Recorder:
    """Collects what the stream delivers; ``wait_for(n)`` waits for n messages."""

    def __init__(self):
        self.messages, self.states, self.errors = [], [], []
        self._cond = threading.Condition()

    def on_message(self, message):
        with self._cond:
            self.messages.append(message)
            self._cond.notify_all()

    def on_state(self, state, detail):
        with self._cond:
            self.states.append((state, detail))
            self._cond.notify_all()

    def on_error(self, frame):
        with self._cond:
            self.errors.append(frame)
            self._cond.notify_all()

    def wait_closed(self):
        with self._cond:
            return self._cond.wait_for(lambda: any(s == "closed" for s, _ in self.states), TIMEOUT)

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

        server = FakeStreamServer(script, options.pop("refuse", None))
        self.addCleanup(server.close)
        recorder = Recorder()
        stream = Stream(server.url, ["orders"], options.pop("credential", None), recorder.on_message,
                        on_state=recorder.on_state, on_error=recorder.on_error, min_backoff=0.01,
                        max_backoff=0.05, **options)
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

    def test_a_connection_lost_before_or_inside_the_open_order_snapshot_subscribes_afresh(self):
        subscribes = []

        def subscribed(conn):
            subscribes.append(conn.recv_json())
            conn.send_json({"type": "subscribed", "channels": ["orders"], "seqs": {"orders": 30}, "epoch": "e1"})

        def before_snapshot(conn):
            subscribed(conn)
            conn.drop()

        def inside_snapshot(conn):
            subscribed(conn)
            conn.send_json({"channel": "orders", "seq": 30, "type": "snapshot", "snapshot": True,
                            "data": {"open_orders": 3}})
            conn.send_json(order(30, snapshot=True))
            conn.drop()

        def whole(conn):
            subscribed(conn)
            conn.send_json({"channel": "orders", "seq": 30, "type": "snapshot", "snapshot": True,
                            "data": {"open_orders": 3}})
            for _ in range(3):
                conn.send_json(order(30, snapshot=True))
            conn.send_json(order(31))
            conn.wait_closed(TIMEOUT)

        recorder, stream = self.run_stream([before_snapshot, inside_snapshot, whole], 7)

        self.assertEqual([30, 30, 30, 30, 30, 30, 31], recorder.seqs())
        self.assertEqual([{"op": "subscribe", "channels": ["orders"]}] * 3, subscribes,
                         "resumed at 30, the open orders would never come (or one of three)")
        self.assertEqual({"orders": 31}, stream.last_seqs())

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


    def test_transient_refusals_and_closes_are_retried(self):
        def second(conn):
            conn.recv_json()
            conn.send_json({"type": "error", "error": "signature already used", "error_no": -2010, "trace_id": "t"})
            conn.close(1008, json.dumps({"error_no": -2010}))
            conn.wait_closed(TIMEOUT)

        def third(conn):
            conn.recv_json()
            conn.close(1001, "trade-api shuts down")
            conn.wait_closed(TIMEOUT)

        def fourth(conn):
            conn.recv_json()
            conn.send_json({"type": "subscribed", "channels": ["orders"], "seqs": {"orders": 0}, "epoch": "e1"})
            conn.send_json(order(1))
            conn.wait_closed(TIMEOUT)

        unavailable = ("503 Service Unavailable", {"error": "unavailable", "error_no": -9001, "trace_id": "t"})
        recorder, stream = self.run_stream([lambda conn: None, second, third, fourth], 1,
                                           credential=SecretKey("otk_k", "s3cret"),
                                           refuse=lambda index: unavailable if index == 0 else None)

        self.assertEqual([1], recorder.seqs())
        self.assertEqual([-2010], [e["error_no"] for e in recorder.errors])
        reasons = [d for s, d in recorder.states if s == "disconnected"]
        self.assertIn("Handshake status 503", reasons[0])
        self.assertEqual("closed by the server: 1008 {\"error_no\": -2010}", reasons[1])
        self.assertEqual("closed by the server: 1001 trade-api shuts down", reasons[2])
        self.assertIsNone(stream.refusal)


class SettingsTest(unittest.TestCase):
    def test_a_zero_or_negative_timeout_or_backoff_is_refused_naming_the_setting(self):
        for name in ("heartbeat_timeout", "min_backoff", "max_backoff", "connect_timeout"):
            for bad in (0, 0.0, -1, float("nan"), float("inf"), None, "5", True):
                with self.subTest(name=name, value=bad):
                    with self.assertRaises(ValueError) as raised:
                        Stream("ws://127.0.0.1:1/v1/stream/orders", ["orders"], None, print, **{name: bad})
                    self.assertTrue(str(raised.exception).startswith(name + " must be a positive number of seconds"),
                                    raised.exception)
        with self.assertRaises(ValueError) as raised:
            Stream("ws://127.0.0.1:1/v1/stream/orders", ["orders"], None, print, min_backoff=5, max_backoff=1)
        self.assertTrue(str(raised.exception).startswith("max_backoff must be at least min_backoff"), raised.exception)
        Stream("ws://127.0.0.1:1/v1/stream/orders", ["orders"], None, print, heartbeat_timeout=0.001, min_backoff=1,
               max_backoff=1, connect_timeout=1)  # small and equal are fine


class CloseTest(unittest.TestCase):
    def test_an_upgrade_answered_after_close_returned_is_closed_unauthenticated_and_unsubscribed(self):
        upgrading, answer, ended, frames = threading.Event(), threading.Event(), threading.Event(), []

        def hold(index):
            upgrading.set()
            answer.wait(TIMEOUT)  # the upgrade is answered only once close() has returned

        def script(conn, index):
            frame = conn.recv_json()
            while frame is not None:  # every frame until the client closes
                frames.append(frame)
                frame = conn.recv_json()
            ended.set()

        server = FakeStreamServer(script, hold=hold)
        self.addCleanup(server.close)
        recorder = Recorder()
        stream = Stream(server.url, ["orders"], SecretKey("otk_k", "s3cret"), recorder.on_message,
                        on_state=recorder.on_state, auth="frame")
        stream.start()
        self.assertTrue(upgrading.wait(TIMEOUT))
        stream.close(timeout=0)  # returns with the upgrade under way, as a wait shorter than the connect timeout did
        answer.set()
        self.assertTrue(ended.wait(TIMEOUT), "the client closed the late connection")
        self.assertEqual([], frames, "neither authenticated nor subscribed after close()")
        self.assertTrue(recorder.wait_closed(), recorder.states)
        self.assertEqual(["connecting", "closed"], [s for s, _ in recorder.states])
        self.assertEqual(1, server.connections)
        self.assertEqual([], server.errors)


class ResumeAcrossServersTest(unittest.TestCase):
    def test_a_resume_point_keeps_the_epoch_of_its_seq_and_a_channel_with_state_waits_for_its_snapshot(self):
        frames = {}
        fourth = threading.Event()

        def script(conn, index):
            got = frames.setdefault(index, [])
            got.append(conn.recv_json())
            if index > 0:  # one frame per epoch of the resume points, and one for the channels without one
                got.append(conn.recv_json())
            conn.send_json({"type": "subscribed", "channels": ["depth:X", "trades:X"],
                            "seqs": {"depth:X": 11 + index, "trades:X": 101 + index},
                            "epoch": "eA" if index == 0 else "eB"})
            if index == 1:
                conn.send_json({"channel": "depth:X", "seq": 12, "snapshot": True, "data": {}})
                conn.send_json({"channel": "depth:X", "seq": 13, "data": {}})
            if index < 3:
                conn.drop()  # the first and the third lost before their frames
            else:
                fourth.set()
                conn.wait_closed(TIMEOUT)

        server = FakeStreamServer(script)
        self.addCleanup(server.close)
        recorder = Recorder()
        with Stream(server.url, ["depth:X", "trades:X"], None, recorder.on_message, min_backoff=0.01,
                    max_backoff=0.05):
            self.assertTrue(recorder.wait_for(2), "delivered only %s" % recorder.seqs())
            self.assertTrue(fourth.wait(TIMEOUT))
        self.assertEqual([12, 13], recorder.seqs())
        trades = {"op": "subscribe", "channels": ["trades:X"], "resume": {"trades:X": 101}, "epoch": "eA"}
        key = lambda f: json.dumps(f, sort_keys=True)
        self.assertEqual(sorted(map(key, [{"op": "subscribe", "channels": ["depth:X"]}, trades])),
                         sorted(map(key, frames[1])), "depth had no snapshot: afresh; trades from A's head, A's epoch")
        self.assertEqual(sorted(map(key, [{"op": "subscribe", "channels": ["depth:X"], "resume": {"depth:X": 13},
                                           "epoch": "eB"}, trades])), sorted(map(key, frames[3])),
                         "depth from B's 13 with B's epoch, not moved by the third connection lost before its frames")

    def test_a_server_that_subscribes_and_then_closes_is_reconnected_to_less_and_less_often(self):
        def script(conn, index):
            conn.recv_json()
            conn.send_json({"type": "subscribed", "channels": ["orders"], "seqs": {"orders": 0}, "epoch": "e1"})
            conn.close(1011, "snapshot unavailable")
            conn.wait_closed(TIMEOUT)

        server = FakeStreamServer(script)
        self.addCleanup(server.close)
        with Stream(server.url, ["orders"], None, lambda m: None, min_backoff=0.05, max_backoff=30):
            threading.Event().wait(2.0)  # the schedule, not a timing assertion: backing off, 2 s hold a few tries
        # 0.1, 0.2, 0.4, 0.8, 1.6 s (each between half and all of it); reset by every subscribed frame, one every
        # 25 to 50 ms.
        self.assertLessEqual(server.connections, 7)


class RefusedChannelsTest(unittest.TestCase):
    def test_channels_refused_for_a_limit_are_asked_for_again_on_the_same_connection(self):
        frames = []

        def script(conn, index):
            frames.append(conn.recv_json())
            conn.send_json({"type": "subscribed", "channels": ["trades:A"], "seqs": {"trades:A": 0}, "epoch": "e1"})
            conn.send_json({"type": "error", "error": "too many subscriptions", "error_no": -6012, "trace_id": "t",
                            "channels": ["trades:B"]})
            frames.append(conn.recv_json())
            conn.send_json({"type": "subscribed", "channels": ["trades:B"], "seqs": {"trades:B": 4}, "epoch": "e1"})
            conn.send_json({"channel": "trades:B", "seq": 5, "data": {}})
            conn.wait_closed(TIMEOUT)

        server = FakeStreamServer(script)
        self.addCleanup(server.close)
        recorder = Recorder()
        stream = Stream(server.url, ["trades:A", "trades:B"], None, recorder.on_message, on_error=recorder.on_error)
        stream.resubscribe_after = 0.1
        with stream:
            self.assertTrue(recorder.wait_for(1), "trades:B subscribed after all: %s" % frames)
        self.assertEqual({"op": "subscribe", "channels": ["trades:B"]}, frames[1])
        self.assertEqual(1, server.connections, "on the same connection")
        self.assertEqual([-6012], [e["error_no"] for e in recorder.errors])


class RefusedCredentialTest(unittest.TestCase):
    """A credential refused for good: on_error once, no reconnect, wait_subscribed raises."""

    def refused_stream(self, script, refuse=None, auth="headers"):
        server = FakeStreamServer(script, refuse)
        self.addCleanup(server.close)
        recorder = Recorder()
        stream = Stream(server.url, ["orders"], SecretKey("otk_k", "wrong"), recorder.on_message,
                        on_state=recorder.on_state, on_error=recorder.on_error, auth=auth, min_backoff=0.01,
                        max_backoff=0.05)
        with stream:
            with self.assertRaises(StreamRefusedException) as raised:
                stream.wait_subscribed(TIMEOUT)
            self.assertTrue(recorder.wait_closed(), "the stream stops by itself: %s" % recorder.states)
            self.assertRaises(StreamRefusedException, stream.wait_subscribed, 0)
        self.assertEqual(1, server.connections, "no reconnect")
        self.assertEqual(["connecting", "disconnected", "closed"], [s for s, _ in recorder.states])
        self.assertEqual([], recorder.messages)
        self.assertIsInstance(raised.exception, ApiException)
        self.assertIs(stream.refusal, raised.exception)
        return raised.exception, recorder

    def test_a_401_at_the_upgrade_stops_the_stream(self):
        trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
        refused, recorder = self.refused_stream(lambda conn, index: None, refuse=lambda index: (
            "401 Unauthorized", {"error": "wrong API secret", "error_no": -2003, "trace_id": trace_id}))

        self.assertEqual(401, refused.status)
        self.assertIsNone(refused.error_no)  # websocket-client does not read the answer's body
        self.assertIn("401", refused.reason)
        self.assertEqual(1, len(recorder.errors))
        self.assertEqual(trace_id, recorder.errors[0]["trace_id"])
        self.assertIn("Handshake status 401", recorder.errors[0]["error"])

    def test_an_auth_error_frame_and_close_1008_stop_the_stream(self):
        error = {"error": "wrong API secret", "error_no": -2003, "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}

        def script(conn, index):
            self.assertEqual("auth", conn.recv_json()["op"])
            conn.send_json(dict(error, type="error"))
            conn.close(1008, json.dumps(error))
            conn.wait_closed(TIMEOUT)

        refused, recorder = self.refused_stream(script, auth="frame")

        self.assertEqual((0, -2003, "wrong API secret"), (refused.status, refused.error_no, refused.reason))
        self.assertEqual(dict(error, type="error"), json.loads(refused.body))
        self.assertEqual([dict(error, type="error")], recorder.errors)

    def test_a_close_1008_with_a_permanent_number_alone_stops_the_stream(self):
        def script(conn, index):
            conn.recv_json()
            conn.close(1008, json.dumps({"error_no": -2016}))
            conn.wait_closed(TIMEOUT)

        refused, recorder = self.refused_stream(script)

        self.assertEqual(-2016, refused.error_no)
        self.assertEqual([{"error_no": -2016, "type": "error"}], recorder.errors)

    def ed25519_stream(self, refuse):
        """An Ed25519-keyed stream against a server refusing upgrades as ``refuse(index)`` says, then serving seq 1;
        returns (server, recorder, stream, each upgrade's (timestamp, signature)) once it stopped."""
        upgrades = []

        def script(conn, index):
            upgrades.append((conn.headers.get("x-timestamp"), conn.headers.get("x-signature")))
            if conn.refused:
                return
            conn.recv_json()
            conn.send_json({"type": "subscribed", "channels": ["orders"], "seqs": {"orders": 0}, "epoch": "e1"})
            conn.send_json(order(1))
            conn.wait_closed(TIMEOUT)

        server = FakeStreamServer(script, refuse)
        self.addCleanup(server.close)
        recorder = Recorder()
        stream = Stream(server.url, ["orders"], Ed25519Key("otk_k", Ed25519Key.generate()), recorder.on_message,
                        on_state=recorder.on_state, on_error=recorder.on_error, min_backoff=0.01, max_backoff=0.05)
        return server, recorder, stream, upgrades

    def test_an_upgrade_refused_as_a_replayed_signature_is_signed_afresh_and_retried(self):
        replayed = ("401 Unauthorized", {"error": "the signature was already used", "error_no": -2010,
                                         "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"})
        server, recorder, stream, upgrades = self.ed25519_stream(lambda index: replayed if index == 0 else None)
        with stream:
            self.assertTrue(stream.wait_subscribed(TIMEOUT), recorder.states)
            self.assertTrue(recorder.wait_for(1), recorder.states)
        self.assertEqual([1], recorder.seqs())
        self.assertIsNone(stream.refusal)
        self.assertEqual(2, server.connections)
        self.assertNotEqual(upgrades[0], upgrades[1], "signed afresh")

    def test_an_ed25519_key_refused_at_the_upgrade_twice_in_a_row_stops_the_stream(self):
        revoked = ("401 Unauthorized", {"error": "the key was revoked", "error_no": -2004,
                                        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"})
        server, recorder, stream, _ = self.ed25519_stream(lambda index: revoked)
        with stream:
            with self.assertRaises(StreamRefusedException):
                stream.wait_subscribed(TIMEOUT)
            self.assertTrue(recorder.wait_closed(), recorder.states)
        # Once when websocket-client reads the body (the number is -2004), else confirmed by one more, signed afresh.
        self.assertLessEqual(server.connections, 2)
        self.assertEqual(["disconnected", "closed"], [s for s, _ in recorder.states][-2:])

    def test_only_the_gateways_lasting_2xxx_numbers_are_permanent(self):
        for error_no in (-2001, -2002, -2003, -2004, -2005, -2006, -2008, -2011, -2012, -2015, -2016):
            self.assertTrue(is_permanent_refusal(error_no), error_no)
        for error_no in (-2010, -3001, -3004, -1001, -6013, -9000, -9001, None, "-2003"):
            self.assertFalse(is_permanent_refusal(error_no), error_no)


if __name__ == "__main__":
    unittest.main()
