"""Models: the generated models accept every answer the contract allows, and a body that does not fit
raises the SDK's ApiException instead of pydantic's own error."""

import datetime
import json
import unittest

import opentrade
import urllib3
from opentrade.exceptions import ApiException
from opentrade_sdk import OpenTrade, SecretKey, UnexpectedResponseException, api_client
from test_signing import RecordingPool


def ranked_quote(rank, **fields):
    quote = {"symbol": "600000.SH", "last": "10.50", "bid": "10.49", "bid_size": 300, "ask": "10.51",
             "ask_size": 200, "open": "10.40", "high": "10.60", "low": "10.30", "prev_close": "10.20",
             "change": "0.30", "change_pct": "2.94", "amplitude_pct": "2.94", "volume": 120000,
             "turnover": "1260000.00", "trades": 310, "vwap": "10.50", "buy_volume": 70000, "sell_volume": 50000,
             "turnover_rate_pct": "0.01", "pe": "5.21", "time": "2026-01-05T06:59:58.123Z", "rank": rank}
    quote.update(fields)
    return quote


def market_answering(answer):
    """A MarketApi whose every call gets ``answer`` (JSON), and the pool that records what it sent."""
    client = api_client("http://gw.example:8080", SecretKey("otk_k", "s"))
    pool = RecordingPool(json.dumps(answer).encode())
    client.rest_client.pool_manager._inner = pool
    return opentrade.MarketApi(client), pool


class RankingsTest(unittest.TestCase):
    def market(self, answer):
        return market_answering(answer)

    def test_rankings_with_null_prices_and_pe_are_read(self):
        before_first_trade = ranked_quote(2, symbol="000001.SZ", last=None, bid=None, ask=None, open=None,
                                          high=None, low=None, vwap=None, pe=None, bid_size=0, ask_size=0)
        market, pool = self.market({"by": "change_pct", "order": "desc", "next_cursor": None,
                                    "items": [ranked_quote(1, pe=None), before_first_trade]})

        rankings = market.get_rankings(by="change_pct", limit=32)

        self.assertEqual("/v1/market/rankings?by=change_pct&limit=32", pool.sent[0]["target"])
        self.assertEqual([1, 2], [item.rank for item in rankings.items])
        self.assertIsNone(rankings.items[0].pe)
        self.assertEqual("10.50", rankings.items[0].last)
        second = rankings.items[1]
        self.assertEqual([None] * 8, [second.last, second.bid, second.ask, second.open, second.high, second.low,
                                      second.vwap, second.pe])
        self.assertIn("pe", second.to_dict())  # written back as null, not left out

    def test_ranked_quote_allows_the_nulls_quote_allows(self):
        quote, ranked = opentrade.Quote.__fields__, opentrade.RankedQuote.__fields__
        self.assertEqual(set(quote) | {"rank"}, set(ranked))
        self.assertEqual({name: field.allow_none for name, field in quote.items()},
                         {name: ranked[name].allow_none for name in quote})
        self.assertFalse(ranked["rank"].allow_none)

    def test_an_answer_that_does_not_fit_its_model_raises_an_api_exception(self):
        market, _ = self.market({"by": "change_pct", "order": "desc", "next_cursor": None,
                                 "items": [ranked_quote(1, last="ten")]})

        with self.assertRaises(UnexpectedResponseException) as raised:
            market.get_rankings()

        self.assertIsInstance(raised.exception, ApiException)
        self.assertEqual(200, raised.exception.status)
        self.assertIsNone(raised.exception.error_no)
        self.assertIn("Rankings", raised.exception.reason)
        self.assertIn('"last": "ten"', raised.exception.body)


class ClockTest(unittest.TestCase):
    def market(self, answer):
        return market_answering(answer)

    def test_the_24x7_clock_with_no_open_or_close_is_read(self):
        market, pool = self.market({"time": "2026-01-05T08:00:00.000Z", "calendar": "continuous",
                                    "zone": "Asia/Shanghai", "phase": "continuous", "is_open": True,
                                    "accepts_orders": True, "next_phase": None, "next_phase_at": None,
                                    "next_open": None, "next_close": None,
                                    "trading_day_ends_at": "2026-01-06T07:00:00.000Z"})

        clock = market.get_market_clock()

        self.assertEqual("/v1/market/clock", pool.sent[0]["target"])
        self.assertEqual("continuous", clock.phase)
        self.assertTrue(clock.is_open)
        self.assertIsNone(clock.next_open)
        self.assertEqual(2026, clock.trading_day_ends_at.year)

    def test_the_calendar_is_asked_for_by_dates_and_its_sessions_are_read(self):
        market, pool = self.market({"calendar": "a-share", "zone": "Asia/Shanghai", "days": [
            {"trading_day": "2026-01-05", "open": "2026-01-05T01:30:00.000Z", "close": "2026-01-05T07:00:00.000Z",
             "sessions": [{"phase": "continuous", "start": "2026-01-05T01:30:00.000Z",
                           "end": "2026-01-05T03:30:00.000Z"},
                          {"phase": "break", "start": "2026-01-05T03:30:00.000Z",
                           "end": "2026-01-05T05:00:00.000Z"}]}]})

        calendar = market.get_market_calendar(start=datetime.date(2026, 1, 5), end=datetime.date(2026, 1, 9))

        self.assertEqual("/v1/market/calendar?start=2026-01-05&end=2026-01-09", pool.sent[0]["target"])
        self.assertEqual(datetime.date(2026, 1, 5), calendar.days[0].trading_day)
        self.assertEqual(["continuous", "break"], [s.phase for s in calendar.days[0].sessions])


class ScriptedPool(RecordingPool):
    """Answers each request with the next (status, JSON body) of ``script``."""

    def __init__(self, script):
        super().__init__()
        self.script = list(script)

    def urlopen(self, method, url, redirect=True, **kw):
        super().urlopen(method, url, redirect, **kw)
        status, body = self.script.pop(0)
        return urllib3.HTTPResponse(body=json.dumps(body).encode(), status=status, preload_content=True,
                                    headers={"Content-Type": "application/json"})


SELL = {"order_id": "100240", "client_order_id": "close-3f1c8a2b9d0e4f5a6b7c8d9e0f1a2b3c", "symbol": "600000.SH",
        "side": "sell", "type": "market", "time_in_force": "ioc", "qty": 100, "price": None, "stop_price": None,
        "filled_qty": 100, "leaves_qty": 0, "avg_fill_price": "10.51", "status": "filled", "reject_reason": None,
        "created_at": "2026-01-05T02:10:00.004Z", "updated_at": "2026-01-05T02:10:00.006Z"}


class ClosePositionTest(unittest.TestCase):
    def client(self, script):
        ot = OpenTrade("http://gw.example:8080", SecretKey("otk_k", "s"))
        pool = ScriptedPool(script)
        ot.api_client.rest_client.pool_manager._inner = pool
        return ot, pool

    def test_an_unanswered_close_is_sent_again_under_the_same_key(self):
        unavailable = {"error": "trade-api is unavailable", "error_no": -9001, "trace_id": "t"}
        ot, pool = self.client([(503, unavailable), (201, SELL)])

        sell = ot.close_position("600000.SH")

        self.assertEqual("100240", sell.order_id)
        self.assertEqual(["/v1/positions/600000.SH"] * 2, [r["target"] for r in pool.sent])
        self.assertEqual(["DELETE"] * 2, [r["method"] for r in pool.sent])
        keys = [r["headers"]["Idempotency-Key"] for r in pool.sent]
        self.assertEqual(keys[0], keys[1], "one key for every attempt")
        self.assertTrue(keys[0].startswith("close-"), keys[0])

    def test_a_refusal_is_raised_at_once(self):
        ot, pool = self.client([(404, {"error": "no position in '600000.SH' to close", "error_no": -4117,
                                       "trace_id": "t"})])

        with self.assertRaises(ApiException) as raised:
            ot.close_position("600000.SH", qty=100)

        self.assertEqual(-4117, raised.exception.error_no)
        self.assertEqual(["/v1/positions/600000.SH?qty=100"], [r["target"] for r in pool.sent])

    def test_a_percentage_and_cancel_orders_go_as_the_server_reads_them(self):
        ot, pool = self.client([(201, SELL), (201, SELL)])

        ot.close_position("600000.SH", percentage="50", cancel_orders=True)
        ot.close_position("600000.SH", percentage="33.33")

        self.assertEqual(["/v1/positions/600000.SH?percentage=50&cancel_orders=true",
                          "/v1/positions/600000.SH?percentage=33.33"], [r["target"] for r in pool.sent])


if __name__ == "__main__":
    unittest.main()
