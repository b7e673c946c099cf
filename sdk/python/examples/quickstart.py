#!/usr/bin/env python3
"""OpenTrade quickstart: sign up, log in, create keys, read bars, trade, see the fill on the stream, close the position.

    PYTHONPATH=sdk/python/target/generated-python:sdk/python python3 sdk/python/examples/quickstart.py [BASE_URL]

BASE_URL defaults to $OPENTRADE_BASE_URL, else http://localhost:8080. Exits 0 once the order's fill
arrived on the order stream, non-zero (with the reason) otherwise.
"""

import os
import sys
import threading
import uuid

import opentrade
from opentrade.exceptions import ApiException
from opentrade_sdk import Ed25519Key, OpenTrade, SecretKey, Session

SYMBOL = "600000.SH"
FILL_TIMEOUT_S = 30


def main(base_url):
    anonymous = OpenTrade(base_url)
    suffix = uuid.uuid4().hex[:12]
    email, password = "quant-%s@example.com" % suffix, "correct horse %s" % suffix

    developer = anonymous.developers.create_developer(
        opentrade.DeveloperCreate(email=email, password=password, name="Quickstart " + suffix))
    print("signed up: developer %s (%s)" % (developer.developer_id, email))
    session = anonymous.developers.create_session(opentrade.SessionCreate(email=email, password=password))
    portal = anonymous.with_credential(Session(session.token))
    print("logged in: session valid %d s" % session.expires_in)

    # An Ed25519 key: the gateway keeps only the public key; every request is signed.
    private_key = Ed25519Key.generate()
    signed = portal.keys.create_key(opentrade.ApiKeyCreate(
        type="ed25519", public_key=Ed25519Key.public_key_base64(private_key), scopes=["market:read", "trade"],
        label="quickstart ed25519"))
    quant = portal.with_credential(Ed25519Key(signed.key_id, private_key))
    print("created ed25519 key %s" % signed.key_id)
    # A secret key: shown once, sent with every request.
    secret = portal.keys.create_key(opentrade.ApiKeyCreate(scopes=["market:read"], label="quickstart secret"))
    reader = portal.with_credential(SecretKey(secret.key_id, secret.secret))
    print("created secret key %s" % secret.key_id)

    klines = quant.market.get_klines(SYMBOL, interval="1m", limit=5)
    print("bars: %d of %s %s" % (len(klines.bars), SYMBOL, text(klines.interval)))
    for bar in klines.bars:
        print("  %s open %s high %s low %s close %s volume %d" % (
            bar.time.isoformat(), bar.open, bar.high, bar.low, bar.close, bar.volume))
    quote = reader.market.get_quotes(SYMBOL).items[0]
    print("quote: %s last %s bid %s ask %s" % (quote.symbol, quote.last, quote.bid, quote.ask))

    client_order_id = "qs-" + suffix
    filled = threading.Event()
    fills = []

    def on_message(message):
        if message.type == "fill" and message.data.get("client_order_id") == client_order_id:
            fills.append(message.model())
            filled.set()
        elif message.type == "order" and not message.snapshot:
            print("stream #%d: order %s %s" % (message.seq, message.data["client_order_id"], message.data["status"]))

    def on_state(state, detail):
        print("order stream: %s%s" % (state, " (%s)" % detail if detail else ""))

    with quant.order_stream(on_message, on_state=on_state) as stream:
        if not stream.wait_subscribed(15):
            return fail("the order stream did not subscribe within 15 s")
        order = quant.trading.place_order(opentrade.OrderCreate(
            symbol=SYMBOL, side="buy", type="market", qty=100, client_order_id=client_order_id))
        print("placed market buy %d %s: order %s, %s" % (order.qty, SYMBOL, order.order_id, text(order.status)))
        if not filled.wait(FILL_TIMEOUT_S):
            return fail("no fill for %s on the stream within %d s" % (client_order_id, FILL_TIMEOUT_S))
    fill = fills[0]
    print("fill: %s %s %d %s at %s (%s), order %s" % (
        fill.fill_id, text(fill.side), fill.qty, fill.symbol, fill.price, text(fill.liquidity), fill.client_order_id))
    position = next((p for p in quant.trading.list_positions().items if p.symbol == SYMBOL), None)
    print("position: %s %d" % (SYMBOL, position.qty if position else 0))

    # The exchange's clock says when it trades (the sandbox's default calendar: around the clock).
    clock = quant.market.get_market_clock()
    print("market: %s%s" % (text(clock.phase), " until %s" % clock.next_phase_at.isoformat()
                                                 if clock.next_phase_at else ", around the clock"))
    # Close the position at market, exactly once (one Idempotency-Key for every attempt).
    closed = quant.close_position(SYMBOL)
    print("closed: market sell %d %s: order %s, %s" % (closed.qty, SYMBOL, closed.order_id, text(closed.status)))
    return 0


def text(value):
    """An enumeration's JSON value (generated enums are Enum members, inline ones plain strings)."""
    return getattr(value, "value", value)


def fail(reason):
    print("FAILED: " + reason, file=sys.stderr)
    return 1


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("OPENTRADE_BASE_URL", "http://localhost:8080")
    try:
        sys.exit(main(url))
    except ApiException as e:
        sys.exit(fail("HTTP %s: %s" % (e.status, e.body)))
