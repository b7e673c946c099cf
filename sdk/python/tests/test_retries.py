"""Retries and answers against a scripted server: nothing but a GET (or a refused connection) is resent, each
attempt is signed afresh, a keyed close still being answered is waited for, redirects carry no credential to
another host, and an error page that is not UTF-8 is an ApiException (each found in review)."""

import http.server
import json
import threading
import time
import unittest

from opentrade.exceptions import ApiException
from opentrade_sdk import Ed25519Key, OpenTrade, OrderStatusUnknownException, SecretKey

SELL = {"order_id": "100240", "client_order_id": "close-x", "symbol": "600000.SH",
        "side": "sell", "type": "market", "time_in_force": "ioc", "qty": 100, "price": None, "stop_price": None,
        "filled_qty": 100, "leaves_qty": 0, "avg_fill_price": "10.51", "status": "filled", "reject_reason": None,
        "created_at": "2026-01-05T02:10:00.004Z", "updated_at": "2026-01-05T02:10:00.006Z"}


def err(no, msg="x"):
    return json.dumps({"error": msg, "error_no": no, "trace_id": "0" * 32}).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def _handle(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        srv = self.server
        with srv.lock:
            srv.seen.append((self.command, self.path, dict(self.headers), body))
            sig = self.headers.get("X-Signature")
            replay = sig is not None and sig in srv.sigs
            if sig:
                srv.sigs.add(sig)
            step = srv.script.pop(0) if srv.script else (0, 200, {}, json.dumps(SELL).encode())
        delay, status, headers, payload = step
        if replay:  # the gateway's replay guard
            delay, status, headers, payload = 0, 401, {}, err(-2010, "signature already used")
        time.sleep(delay)
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            if "Content-Type" not in headers:
                self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle


def serve(script, host="127.0.0.1"):
    srv = http.server.ThreadingHTTPServer((host, 0), Handler)
    srv.daemon_threads = True
    srv.script, srv.seen, srv.sigs, srv.lock = list(script), [], set(), threading.Lock()
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


class RetriesTest(unittest.TestCase):
    def server(self, script, host="127.0.0.1"):
        srv = serve(script, host)
        self.addCleanup(srv.server_close)
        self.addCleanup(srv.shutdown)
        return srv, "http://%s:%d" % (host, srv.server_address[1])

    def test_a_timed_out_close_without_key_is_not_sent_twice(self):
        # DELETE /v1/positions/{symbol}?qty=100 is a sell: urllib3's default Retry(3) resent a DELETE after a timeout
        srv, url = self.server([(0.8, 201, {}, json.dumps(SELL).encode())])
        ot = OpenTrade(url, SecretKey("otk_k", "s"), request_timeout=0.3)
        try:
            ot.trading.close_position("600000.SH", qty=100)
        except ApiException:
            pass
        deletes = [s for s in srv.seen if s[0] == "DELETE"]
        self.assertEqual(1, len(deletes), "a sell of 100 was sent %d times: %s" % (len(deletes), [d[1] for d in deletes]))

    def test_ed25519_close_position_after_a_timeout_is_not_reported_as_an_auth_failure(self):
        srv, url = self.server([(0.8, 201, {}, json.dumps(SELL).encode())])
        ot = OpenTrade(url, Ed25519Key("otk_k", Ed25519Key.generate()), request_timeout=0.3)
        try:
            sell = ot.close_position("600000.SH", qty=100)
            self.assertEqual("100240", sell.order_id)
        except OrderStatusUnknownException:
            pass  # acceptable: the outcome is unknown
        except ApiException as e:
            self.fail("close_position raised %s %s error_no=%s after the sell was placed"
                      % (type(e).__name__, e.status, e.error_no))

    def test_close_position_waits_out_a_409_still_being_answered(self):
        srv, url = self.server([
            (0, 504, {}, err(-9002, "upstream timeout")),
            (0, 409, {"Retry-After": "0"}, err(-4115, "a request with this Idempotency-Key is still being answered")),
            (0, 201, {}, json.dumps(SELL).encode())])
        ot = OpenTrade(url, SecretKey("otk_k", "s"))
        try:
            sell = ot.close_position("600000.SH", qty=100)
        except ApiException as e:
            self.fail("close_position raised %s %s error_no=%s: the first close is still running, a retry under"
                      " the same key would answer it" % (type(e).__name__, e.status, e.error_no))
        self.assertEqual("100240", sell.order_id)

    def test_a_timed_out_get_is_retried_and_signed_afresh(self):
        srv, url = self.server([(0.8, 200, {}, b"{}")])
        ot = OpenTrade(url, Ed25519Key("otk_k", Ed25519Key.generate()), request_timeout=0.3)
        try:
            ot.trading.get_account()
        except ApiException as e:
            self.assertNotEqual(401, e.status, "the retry carried the first attempt's signature: %s" % e)
        gets = [s for s in srv.seen if s[0] == "GET"]
        self.assertEqual(2, len(gets), [g[1] for g in gets])
        self.assertNotEqual(gets[0][2].get("X-Signature"), gets[1][2].get("X-Signature"))

    def test_a_redirect_does_not_carry_the_secret_to_another_host(self):
        other, other_url = self.server([], host="127.0.0.1")
        srv, url = self.server([(0, 307, {"Location": other_url + "/v1/account"}, b"")], host="127.0.0.1")
        ot = OpenTrade(url.replace("127.0.0.1", "localhost"), SecretKey("otk_k", "TOPSECRET"))
        try:
            ot.trading.get_account()
        except Exception:
            pass
        leaked = [s[2].get("X-API-Secret") for s in other.seen]
        self.assertEqual([], [x for x in leaked if x], "the secret reached %s" % other_url)

    def test_a_non_utf8_error_page_is_an_api_exception(self):
        srv, url = self.server([(0, 502, {"Content-Type": "text/html; charset=iso-8859-1"},
                                 b"<html>Passerelle incorrecte \xe9</html>")])
        ot = OpenTrade(url, SecretKey("otk_k", "s"))
        try:
            ot.market.get_quotes("600000.SH")
        except ApiException as e:
            self.assertEqual(502, e.status)
        except Exception as e:  # noqa
            self.fail("a proxy's 502 page raised %s: %s, not an ApiException" % (type(e).__name__, e))


if __name__ == "__main__":
    unittest.main()
