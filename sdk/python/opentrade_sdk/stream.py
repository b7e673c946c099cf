"""A resuming client for the gateway's WebSocket streams (``/v1/stream/market``, ``/v1/stream/orders``).

The protocol is in the two stream operations of openapi/opentrade.yaml: data frames
``{"channel","seq","data"}`` whose ``seq`` is gap-free per channel and the same on every connection;
``subscribe`` with ``resume`` (the last seq per channel) and ``epoch`` gets exactly the frames after
that seq, or a snapshot flagged ``"resumed": false`` when they are no longer held; a heartbeat every
10 s carries each channel's head seq.

``Stream`` keeps one connection open on a thread of its own: it reconnects with exponential backoff
and jitter, subscribes again with ``resume`` and ``epoch``, delivers every data frame once and in
channel order (a seq already delivered is dropped; a seq past the next one, or a heartbeat ahead of
the last delivered seq, is a gap: it reconnects and resumes from the last delivered seq instead of
delivering out of order), and reconnects when no frame arrived for ``heartbeat_timeout`` seconds.
Snapshot frames (``"snapshot": true``) repeat their channel's head seq and are all delivered.

A credential the gateway refuses for good -- a 401 or 403 at the upgrade, or an error frame or close
1008 with a -2xxx number other than -2010 (a replayed signature: the next try signs afresh) -- stops
the stream instead: another try would be refused the same way. At the upgrade the number is known only
when websocket-client reads the answer's body (``resp_body``, newer versions); an Ed25519 key's refusal of
unknown number is tried once more, signed afresh, before it counts, since it may be -2010 (another signer of
the key signed the same upgrade in the same millisecond). Everything else (network errors, other
statuses, closes, -3xxx, -9xxx) is transient and retried.
"""

import json
import logging
import math
import random
import threading
import time
from urllib.parse import urlsplit

import websocket

from .errors import StreamRefusedException
from .signing import Ed25519Key

log = logging.getLogger("opentrade_sdk.stream")

CONNECTING = "connecting"
SUBSCRIBED = "subscribed"
DISCONNECTED = "disconnected"
CLOSED = "closed"


class StreamMessage:
    """One data frame: ``channel``, ``seq``, ``type`` (order stream: ``order`` | ``fill`` | ``snapshot``;
    None on the market stream), ``data`` (the JSON object), ``snapshot``, ``resumed`` (False when this
    snapshot replaces messages that could not be resumed) and the whole ``frame``."""

    __slots__ = ("channel", "seq", "type", "data", "snapshot", "resumed", "frame")

    def __init__(self, frame):
        self.frame = frame
        self.channel = frame["channel"]
        self.seq = frame["seq"]
        self.type = frame.get("type")
        self.data = frame.get("data")
        self.snapshot = bool(frame.get("snapshot", False))
        self.resumed = frame.get("resumed", True)

    def model(self):
        """``data`` as the generated model (Order, Fill, Trade, Quote, DepthUpdate, LiveBar), else the dict."""
        import opentrade
        kind = self.type if self.channel == "orders" else self.channel.split(":", 1)[0]
        model = {"order": opentrade.Order, "fill": opentrade.Fill, "trades": opentrade.Trade,
                 "quotes": opentrade.Quote, "depth": opentrade.DepthUpdate, "klines": opentrade.LiveBar}.get(kind)
        return model.from_dict(self.data) if model is not None and self.data is not None else self.data

    def __repr__(self):
        return "StreamMessage(%s #%d %s%s)" % (self.channel, self.seq, self.type or "",
                                               " snapshot" if self.snapshot else "")


class _Reconnect(Exception):
    """Ends the current connection; the stream connects again and resumes."""


class _Refused(Exception):
    """Ends the stream: the gateway refused the credential for good (``error`` is the error model)."""

    def __init__(self, status, error):
        super().__init__(error.get("error") or "error_no %s" % error.get("error_no"))
        self.status = status
        self.error = error


def is_permanent_refusal(error_no):
    """True for the gateway's -2xxx numbers that another try cannot change (unknown, revoked, expired or
    killed key, wrong secret or signature, suspended developer, missing scope, ...); -2010, a signature
    already used, is not: the next connection signs afresh."""
    return isinstance(error_no, int) and -2999 <= error_no <= -2000 and error_no != -2010


class Stream:
    """A stream that stays subscribed to ``channels`` across dropped connections.

    ``on_message(StreamMessage)``, ``on_state(state, detail)`` (``connecting``, ``subscribed``,
    ``disconnected`` with the reason, ``closed``) and ``on_error(frame)`` (the server's error frames, the
    error model; for a refused upgrade one made from the status, with ``error_no`` None) are called on
    the stream's own thread, one at a time; an exception they raise is logged and does not stop the
    stream. ``auth`` is ``"headers"`` (credential headers on the upgrade) or ``"frame"`` (a first auth
    frame). Start with ``start()`` or a ``with`` block; ``close()`` stops it.
    """

    def __init__(self, url, channels, credential, on_message, on_state=None, on_error=None, auth="headers",
                 heartbeat_timeout=30.0, min_backoff=0.2, max_backoff=10.0, connect_timeout=10.0):
        if auth not in ("headers", "frame"):
            raise ValueError("auth must be 'headers' or 'frame', not %r" % (auth,))
        if not channels:
            raise ValueError("channels must name at least one channel")
        for name, seconds in (("heartbeat_timeout", heartbeat_timeout), ("min_backoff", min_backoff),
                              ("max_backoff", max_backoff), ("connect_timeout", connect_timeout)):
            _check_seconds(name, seconds)
        if max_backoff < min_backoff:
            raise ValueError("max_backoff must be at least min_backoff (%r), not %r" % (min_backoff, max_backoff))
        self.url = url
        self.channels = list(channels)
        self.credential = credential
        self.on_message = on_message
        self.on_state = on_state
        self.on_error = on_error
        self.auth = auth
        # Three missed heartbeats (every 10 s) by default: long enough for a slow network, short
        # enough to notice a half-open connection well before the order stream's retention runs out.
        self.heartbeat_timeout = heartbeat_timeout
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        #: Seconds before channels refused for a limit (-6012) are asked for again (doubling to a minute).
        self.resubscribe_after = 10.0
        self._refused, self._refused_retries, self._resubscribe_at = set(), 0, None
        self.connect_timeout = connect_timeout
        self.epoch = None
        self._last = {}
        # The epoch each resume point in _last belongs to: seqs are numbered per server process, and a point moves
        # to another process's epoch only with a frame of that channel from it.
        self._epochs = {}
        # Channels whose multi-frame snapshot (the order stream's open orders) is under way: frames still to come.
        # Such a channel has no resume point until the last: lost halfway, it subscribes afresh for a whole one.
        self._snapshot_left = {}
        self._closing = threading.Event()
        # Held by close() to set _closing, and by the stream's thread to send auth and subscribe frames: no such frame
        # goes out once close() has begun.
        self._lock = threading.Lock()
        # Set while a connection is subscribed, and for good once the credential was refused.
        self._subscribed = threading.Event()
        #: The StreamRefusedException that stopped the stream, else None.
        self.refusal = None
        self._ws = None
        # Upgrades refused in a row with a number websocket-client hid (an Ed25519 key's is confirmed once).
        self._unknown_refusals = 0
        self._subscribed_at = None
        self._beat_since_subscribed = False
        self._thread = None
        split = urlsplit(url)
        self._target = (split.path or "/") + ("?" + split.query if split.query else "")

    # -- life cycle -------------------------------------------------------------------------------

    def start(self):
        if self._thread is not None:
            raise RuntimeError("stream already started")
        self._thread = threading.Thread(target=self._run, name="opentrade-stream " + self._target, daemon=True)
        self._thread.start()
        return self

    def close(self, timeout=None):
        """Stops the stream for good: from the moment it is called, no connection is authenticated or subscribed, nor
        another one attempted; an upgrade already under way is closed unused as soon as it opens. Then waits up to
        ``timeout`` seconds for the stream's thread to end: by default ``connect_timeout`` plus 5 s, longer than a
        connection attempt under way normally takes, so that it has ended too; a callback still running may outlast it.
        """
        with self._lock:
            self._closing.set()
        ws = self._ws
        if ws is not None:
            try:
                ws.close(timeout=1)
            except Exception:  # already gone: nothing to close
                pass
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(self.connect_timeout + 5.0 if timeout is None else timeout)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def wait_subscribed(self, timeout):
        """True once a connection is subscribed (and until it drops), False after ``timeout`` seconds.

        Raises ``StreamRefusedException`` (an ``ApiException`` with ``status`` and ``error_no``) as soon as
        the gateway refused the credential for good: the stream has stopped and will not subscribe.
        """
        subscribed = self._subscribed.wait(timeout)
        if self.refusal is not None:
            raise self.refusal
        return subscribed

    def last_seqs(self):
        """The last seq delivered per channel (what a resume would send)."""
        return dict(self._last)

    # -- the stream's thread ------------------------------------------------------------------------

    def _run(self):
        failures = 0
        while not self._closing.is_set():
            self._notify(CONNECTING, self.url)
            reason = None
            self._subscribed_at = None
            self._beat_since_subscribed = False
            try:
                self._session(self._connect())
            except _Reconnect as e:
                reason = str(e)
            except _Refused as e:
                self.refusal = StreamRefusedException(e.status, e.error, str(e))
                reason = "refused: %s" % e
            except Exception as e:  # network errors, other refused upgrades, bad frames: all mean reconnect
                reason = "%s: %s" % (type(e).__name__, e)
            finally:
                self._drop_connection()
            if self.refusal is not None:
                self._subscribed.set()  # wakes wait_subscribed, which raises the refusal
                self._notify(DISCONNECTED, reason)
                break
            if self._closing.is_set():
                break
            # Only a connection that was healthy (a heartbeat, or 10 s subscribed) starts the back-off over: reset by
            # every subscribed frame, a server that subscribes and then closes was reconnected to 5 times a second.
            healthy = self._beat_since_subscribed or (
                self._subscribed_at is not None and time.monotonic() - self._subscribed_at >= 10)
            failures = 0 if healthy else failures + 1
            self._notify(DISCONNECTED, reason)
            delay = min(self.max_backoff, self.min_backoff * (2 ** min(failures, 16)))
            self._closing.wait(delay * random.uniform(0.5, 1.0))
        self._notify(CLOSED, None)

    def _connect(self):
        if self._closing.is_set():  # close() was called while on_state ran
            raise _Reconnect("closed")
        headers = []
        if self.credential is not None and self.auth == "headers":
            headers = ["%s: %s" % kv for kv in self.credential.headers("GET", self._target, None).items()]
        try:
            ws = websocket.create_connection(self.url, timeout=self.connect_timeout, header=headers)
        except websocket.WebSocketBadStatusException as e:
            if e.status_code not in (401, 403) or self._closing.is_set():
                raise
            # websocket-client reads the answer's body from 1.4 on (resp_body); before, the number is unknown.
            error = _body_error(getattr(e, "resp_body", None)) or {
                "error": str(e), "error_no": None, "trace_id": _header(e.resp_headers, "x-trace-id")}
            error = dict(error, type="error")
            self._report(error)
            error_no = error.get("error_no")
            if error_no == -2010:
                raise _Reconnect("signature already used (%d): the next try signs afresh" % e.status_code) from e
            if error_no is None and isinstance(self.credential, Ed25519Key) and self._unknown_refusals == 0:
                # Perhaps -2010: another signer of this key signed this upgrade in the same millisecond. Giving up
                # here ended a healthy stream for good, by chance; a second refusal in a row is the key's.
                self._unknown_refusals += 1
                raise _Reconnect("%s: tried once more, signed afresh" % e) from e
            raise _Refused(e.status_code, error) from e
        self._unknown_refusals = 0
        self._ws = ws
        if self.credential is not None and self.auth == "frame":
            self._send_unless_closed(ws, [self.credential.auth_frame(self._target)])
        return ws

    def _session(self, ws):
        ws.settimeout(min(1.0, self.heartbeat_timeout / 3))
        self._send_unless_closed(ws, self._subscribe_frames())
        last_frame = time.monotonic()
        self._refused, self._refused_retries, self._resubscribe_at = set(), 0, None
        while not self._closing.is_set():
            if self._refused and time.monotonic() >= self._resubscribe_at:
                wanted = [ch for ch in self.channels if ch in self._refused]
                self._refused = set()
                if wanted:
                    self._send_unless_closed(ws, self._subscribe_frames(wanted))
            try:
                opcode, payload = ws.recv_data(control_frame=True)
            except websocket.WebSocketTimeoutException:
                if time.monotonic() - last_frame > self.heartbeat_timeout:
                    raise _Reconnect("no frame for %.1f s" % self.heartbeat_timeout)
                continue
            last_frame = time.monotonic()
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                error = _close_error(payload)
                if error is not None and is_permanent_refusal(error.get("error_no")):
                    self._report(error)  # an error frame with the same number would have ended the session
                    raise _Refused(0, error)
                raise _Reconnect("closed by the server: " + _close_reason(payload))
            if opcode == websocket.ABNF.OPCODE_TEXT:
                self._handle(json.loads(payload.decode("utf-8")))

    def _send_unless_closed(self, ws, frames):
        """Sends auth or subscribe ``frames``, unless close() was called: then the connection ends unused (one whose
        upgrade finished after close() returned subscribed, with close()'s wait shorter than the connect timeout).
        Holds the lock for the sends: close() waits at most the socket's timeout for them."""
        with self._lock:
            if self._closing.is_set():
                raise _Reconnect("closed")
            for frame in frames:
                ws.send(json.dumps(frame))

    def _subscribe_frames(self, channels=None):
        """One subscribe per epoch the resume points belong to; channels without one subscribe afresh in the first."""
        groups = {}
        fresh = []
        for ch in self.channels if channels is None else channels:
            epoch = self._epochs.get(ch)
            if ch in self._last and epoch is not None:
                groups.setdefault(epoch, {})[ch] = self._last[ch]
            else:
                fresh.append(ch)
        frames = [{"op": "subscribe", "channels": list(points), "resume": points, "epoch": epoch}
                  for epoch, points in groups.items()]
        if fresh or not frames:
            frames.insert(0, {"op": "subscribe", "channels": fresh})
        return frames

    def _handle(self, frame):
        if "seq" in frame and "channel" in frame:
            self._data(frame)
            return
        kind = frame.get("type")
        if kind == "subscribed":
            self.epoch = frame.get("epoch", self.epoch)
            for ch, head in (frame.get("seqs") or {}).items():
                # A new subscription starts after the head, or at its snapshot when one follows (resumed from the head
                # before it came, a channel with state went on with diffs of a state never had); a resumed one keeps
                # its seq.
                if ch not in self._last and not _snapshot_follows(ch):
                    self._last[ch] = head
                    self._epochs[ch] = self.epoch
            if self._subscribed_at is None:
                self._subscribed_at = time.monotonic()
            self._subscribed.set()
            self._notify(SUBSCRIBED, frame.get("channels"))
        elif kind == "heartbeat":
            self._beat_since_subscribed = self._beat_since_subscribed or self._subscribed_at is not None
            for ch, head in (frame.get("seqs") or {}).items():
                last = self._last.get(ch)
                if last is not None and head > last:
                    raise _Reconnect("heartbeat says %s is at %d, delivered %d" % (ch, head, last))
        elif kind == "error":
            if frame.get("error_no") == -6012 and isinstance(frame.get("channels"), list):
                # Not subscribed for a limit (per connection, per key, the key's subscribe pace): asked for again on
                # this connection after 10 s, doubling to a minute; left alone, they were never subscribed.
                self._refused.update(frame["channels"])
                self._resubscribe_at = time.monotonic() + min(60.0, self.resubscribe_after * 2 ** min(self._refused_retries, 3))
                self._refused_retries += 1
            self._report(frame)
            if is_permanent_refusal(frame.get("error_no")):
                raise _Refused(0, frame)

    def _data(self, frame):
        channel, seq = frame["channel"], frame["seq"]
        left = self._snapshot_left.get(channel)
        parts = (frame.get("data") or {}).get("open_orders") if frame.get("type") == "snapshot" else None
        if left is not None:
            if not frame.get("snapshot") or parts is not None:
                del self._snapshot_left[channel]
                raise _Reconnect("the snapshot of %s was cut short" % channel)
            if left > 1:
                self._snapshot_left[channel] = left - 1
                self._call(self.on_message, StreamMessage(frame))
                return
            del self._snapshot_left[channel]
        elif frame.get("snapshot") and isinstance(parts, int) and parts > 0:
            self._snapshot_left[channel] = parts
            self._last.pop(channel, None)
            self._epochs.pop(channel, None)
            self._call(self.on_message, StreamMessage(frame))
            return
        last = self._last.get(channel)
        if frame.get("snapshot"):
            self._last[channel] = seq
        elif last is not None and seq <= last:
            return  # already delivered
        elif last is not None and seq != last + 1:
            raise _Reconnect("gap on %s: %d after %d" % (channel, seq, last))
        else:
            self._last[channel] = seq
        self._epochs[channel] = self.epoch
        self._call(self.on_message, StreamMessage(frame))

    def _drop_connection(self):
        self._subscribed.clear()
        self._snapshot_left.clear()
        ws, self._ws = self._ws, None
        if ws is not None:
            try:
                ws.close(timeout=1)
            except Exception:  # the connection is already broken
                pass
            finally:
                # close() sends nothing and keeps the socket when the connection already counts as gone (the
                # server dropped it): each reconnect then left a socket for the garbage collector to close.
                ws.shutdown()

    def _report(self, error):
        if self.on_error is not None:
            self._call(self.on_error, error)
        else:
            log.warning("stream error frame: %s", error)

    def _notify(self, state, detail):
        if self.on_state is not None:
            self._call(self.on_state, state, detail)

    def _call(self, fn, *args):
        try:
            fn(*args)
        except Exception:
            log.exception("stream callback %r failed", fn)


def _check_seconds(name, seconds):
    """Refuses a setting in seconds that is not a positive, finite number: unchecked, a zero or negative backoff
    reconnected in a tight loop, a zero heartbeat_timeout gave up every connection at its first quiet moment, and a
    zero connect_timeout made every socket non-blocking, so no connection could open."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds < math.inf:
        raise ValueError("%s must be a positive number of seconds, not %r" % (name, seconds))


def _snapshot_follows(channel):
    """Channels with state: their snapshot follows the subscribed frame (the open orders, a market channel's state);
    trades start at its head."""
    return channel == "orders" or channel.startswith(("quotes:", "depth:", "klines:"))


def _close_error(payload):
    """The error model a close 1008 carries as its reason (the gateway's), else None."""
    if payload is None or len(payload) < 2 or int.from_bytes(payload[:2], "big") != 1008:
        return None
    try:
        error = json.loads(payload[2:].decode("utf-8"))
    except ValueError:
        return None
    return dict(error, type="error") if isinstance(error, dict) else None


def _body_error(body):
    """The error model a refused upgrade's body holds, else None."""
    try:
        error = json.loads(body.decode("utf-8") if isinstance(body, bytes) else body) if body else None
    except ValueError:
        return None
    return error if isinstance(error, dict) and "error_no" in error else None


def _header(headers, name):
    return next((v for k, v in (headers or {}).items() if k.lower() == name), None)


def _close_reason(payload):
    if payload is None or len(payload) < 2:
        return "no close code"
    return "%d %s" % (int.from_bytes(payload[:2], "big"), payload[2:].decode("utf-8", "replace"))
