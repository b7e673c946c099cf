#!/usr/bin/env python3
"""Places orders through a running gateway with ``OpenTrade.place_order`` and checks what a quant developer
relies on; prints one line per check ("ok ..." or "FAIL ...") and exits 1 on any failure. Run by PythonSdkIT.
Not a unittest: it needs a gateway.

    gateway_orders_check.py BASE_URL

- a template placed twice is two orders (the generated client order id is not written into it);
- a placement whose answer does not arrive in time is looked up by its client order id: one order, found;
- a refusal carries the error model: ``error_no``, ``error``, ``trace_id`` (and 429's ``retry_after``).
"""

import socket
import sys
import threading

import opentrade
from opentrade.exceptions import ApiException
from opentrade_sdk import OpenTrade, OrderRejectedException, SecretKey, Session

from developer import new_developer

failures = []


def check(condition, what):
    print(("ok " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


class SlowProxy:
    """A TCP proxy to the gateway that holds back the first answer to a ``POST /v1/orders`` for ``hold`` seconds
    (the request itself goes through at once): the client times out while the order is placed."""

    def __init__(self, host, port, hold):
        self.target, self.hold = (host, port), hold
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.held = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, src, dst, from_client):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if from_client and data.startswith(b"POST /v1/orders ") and not self.held.is_set():
                    self.held.set()
                    dst.sendall(data)
                    continue
                if not from_client and self.held.is_set() and not getattr(self, "released", False):
                    self.released = True
                    threading.Event().wait(self.hold)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass

    def close(self):
        self.server.close()


def main(base_url):
    anonymous, token = new_developer(base_url, "Orders")
    key = anonymous.with_credential(Session(token)).keys.create_key(opentrade.ApiKeyCreate(scopes=["market:read", "trade"]))
    ot = OpenTrade(base_url, SecretKey(key.key_id, key.secret))
    inst = ot.market.get_instrument("600000.SH")
    resting = "%.2f" % (float(inst.prev_close) - 10 * float(inst.tick_size))  # rests below the simulated book

    def count(client_order_id):
        return sum(1 for o in ot.trading.list_orders(status="all", symbol="600000.SH").items
                   if o.client_order_id == client_order_id)

    template = opentrade.OrderCreate(symbol="600000.SH", side="buy", type="limit", qty=100,
                                     price=opentrade.OrderCreatePrice(resting))
    first, second = ot.place_order(template), ot.place_order(template)
    check(template.client_order_id is None, "the template is not changed")
    check(first.order_id != second.order_id and first.client_order_id != second.client_order_id,
          "a template placed twice is two orders: %s %s" % (first.client_order_id, second.client_order_id))
    check(first.client_order_id.startswith("sdk-") and count(first.client_order_id) == 1, "one order per id")

    host, port = base_url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    proxy = SlowProxy(host, int(port), hold=3.0)
    try:
        slow = OpenTrade("http://127.0.0.1:%d" % proxy.port, SecretKey(key.key_id, key.secret), request_timeout=0.8)
        placed = slow.place_order(opentrade.OrderCreate(symbol="600000.SH", side="buy", type="limit", qty=100,
                                                        price=opentrade.OrderCreatePrice(resting)))
        check(proxy.held.is_set(), "the placement's answer was held back past the timeout")
        check(count(placed.client_order_id) == 1, "a timed-out placement is the one order, found by its id")
    finally:
        proxy.close()

    try:
        ot.place_order(opentrade.OrderCreate(symbol="999999.SH", side="buy", type="limit", qty=100,
                                             price=opentrade.OrderCreatePrice("1.00")))
        check(False, "an unknown symbol is refused")
    except ApiException as e:
        check(isinstance(e, OrderRejectedException) and e.status == 422 and e.error_no == -4116 and e.error
              and len(e.trace_id or "") == 32,
              "a refusal carries the error model: %s %s %s %s" % (e.status, e.error_no, e.error, e.trace_id))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
