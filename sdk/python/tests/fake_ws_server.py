"""A minimal WebSocket server on 127.0.0.1 for the stream tests (standard library only).

Each accepted connection runs ``script(conn, index)`` on a thread of its own; ``conn`` reads the
client's JSON frames and sends JSON frames and close frames, and can drop the TCP connection without a
close frame, as a network failure would. ``refuse(index)``, when given, may answer an upgrade with an
HTTP error instead: it returns ``(status line, error model)``, or None to accept. ``hold(index)``, when given,
runs before an upgrade is answered, as a slow gateway.
"""

import base64
import hashlib
import json
import socket
import struct
import threading

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Connection:
    def __init__(self, sock, refusal=None):
        self.sock = sock
        self.refused = refusal is not None
        self.request_line, self.headers = self._handshake(refusal)

    def _handshake(self, refusal):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            data += chunk
        lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
        if refusal is not None:
            status, error = refusal
            body = json.dumps(error).encode("utf-8")
            self.sock.sendall(("HTTP/1.1 %s\r\nContent-Type: application/json\r\nX-Trace-Id: %s\r\n"
                               "Content-Length: %d\r\n\r\n" % (status, error.get("trace_id", ""), len(body))
                               ).encode() + body)
            return lines[0], headers
        accept = base64.b64encode(hashlib.sha1((headers["sec-websocket-key"] + _GUID).encode()).digest()).decode()
        self.sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
        return lines[0], headers

    def _read(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed by the client")
            data += chunk
        return data

    def recv_json(self, timeout=5.0):
        """The next text frame as JSON; None when the client closed."""
        self.sock.settimeout(timeout)
        while True:
            try:
                b0, b1 = self._read(2)
            except ConnectionError:
                return None
            opcode, length = b0 & 0x0F, b1 & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else b"\0\0\0\0"
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read(length)))
            if opcode == 0x8:
                return None
            if opcode == 0x1:
                return json.loads(payload.decode("utf-8"))

    def send_json(self, obj):
        payload = json.dumps(obj).encode("utf-8")
        if len(payload) < 126:
            header = struct.pack(">BB", 0x81, len(payload))
        else:
            header = struct.pack(">BBH", 0x81, 126, len(payload))
        self.sock.sendall(header + payload)

    def close(self, code, reason=""):
        """Sends a close frame with ``code`` and ``reason`` (under 124 bytes)."""
        payload = struct.pack(">H", code) + reason.encode("utf-8")
        self.sock.sendall(struct.pack(">BB", 0x88, len(payload)) + payload)

    def drop(self):
        """Closes the TCP connection without a close frame."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    def wait_closed(self, timeout=5.0):
        """Reads until the client closes; True when it did within ``timeout``."""
        try:
            while self.recv_json(timeout) is not None:
                pass
            return True
        except socket.timeout:
            return False


class FakeStreamServer:
    def __init__(self, script, refuse=None, hold=None):
        self.script = script
        self.refuse = refuse
        self.hold = hold
        self.connections = 0
        self.errors = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self):
        return "ws://127.0.0.1:%d/v1/stream/orders" % self.port

    def _accept(self):
        index = 0
        while True:
            try:
                sock, _ = self._server.accept()
            except OSError:
                return
            # Counted before it is served: a client answered at once (a refused upgrade) could otherwise see its
            # answer, and a test read the count, before this thread got round to it.
            self.connections = index + 1
            threading.Thread(target=self._serve, args=(sock, index), daemon=True).start()
            index += 1

    def _serve(self, sock, index):
        try:
            if self.hold:
                self.hold(index)
            self.script(Connection(sock, self.refuse(index) if self.refuse else None), index)
        except Exception as e:  # reported by the test through .errors
            self.errors.append("connection %d: %r" % (index, e))
        finally:
            try:
                sock.close()
            except OSError:
                pass

    def close(self):
        self._server.close()
