"""Models: the generated models accept every answer the contract allows, and a body that does not fit
raises the SDK's ApiException instead of pydantic's own error."""

import json
import unittest

import opentrade
from opentrade.exceptions import ApiException
from opentrade_sdk import SecretKey, UnexpectedResponseException, api_client
from test_signing import RecordingPool


def ranked_quote(rank, **fields):
    quote = {"symbol": "600000.SH", "last": "10.50", "bid": "10.49", "bid_size": 300, "ask": "10.51",
             "ask_size": 200, "open": "10.40", "high": "10.60", "low": "10.30", "prev_close": "10.20",
             "change": "0.30", "change_pct": "2.94", "amplitude_pct": "2.94", "volume": 120000,
             "turnover": "1260000.00", "trades": 310, "vwap": "10.50", "buy_volume": 70000, "sell_volume": 50000,
             "turnover_rate_pct": "0.01", "pe": "5.21", "time": "2026-01-05T06:59:58.123Z", "rank": rank}
    quote.update(fields)
    return quote


class RankingsTest(unittest.TestCase):
    def market(self, answer):
        client = api_client("http://gw.example:8080", SecretKey("otk_k", "s"))
        pool = RecordingPool(json.dumps(answer).encode())
        client.rest_client.pool_manager._inner = pool
        return opentrade.MarketApi(client), pool

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


if __name__ == "__main__":
    unittest.main()
