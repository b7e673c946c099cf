"""Signing: the contract's worked example, and the client signs exactly the bytes and target it sends."""

import base64
import json
import unittest

import urllib3
from cryptography.exceptions import InvalidSignature
from urllib3.util import parse_url

import opentrade
from opentrade_sdk import Ed25519Key, SecretKey, Session, SigningPoolManager, api_client, string_to_sign

# The test key of openapi/README.md ("Ed25519 test vector"): never register it anywhere real.
TEST_KEY_PEM = """-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIBNFIhSua4qh4EPC4IABMRO4DVHXq6Ggb+vyk/dBBrxm
-----END PRIVATE KEY-----
"""
TEST_PUBLIC_KEY = "MCowBQYDK2VwAyEAtSGJLqrCyQJBsDwac7gkz34lPjSlUEsummia9jLH+fs="
EXAMPLE_BODY = b'{"symbol":"600000.SH","side":"BUY","type":"LIMIT","qty":100,"price":"10.50"}'
EXAMPLE_SIGNATURE = "2qyvN5hVnVZDFw6KqhbSv6sVPlwk5WtzmsNJrJVQtVB/5r/fzZ3jvDVs0ce6M5E0IMQIja1pOvdVRa+4ywG6Bg=="


class RecordingPool:
    """Stands in for urllib3's pool manager: records what would be sent and answers ``answer``."""

    def __init__(self, answer=b"{}"):
        self.sent = []
        self.answer = answer

    def urlopen(self, method, url, redirect=True, **kw):
        self.sent.append({"method": method, "target": parse_url(url).request_uri, "body": kw.get("body"),
                          "headers": dict(kw.get("headers") or {})})
        return urllib3.HTTPResponse(body=self.answer, status=200, preload_content=True,
                                    headers={"Content-Type": "application/json"})

    def clear(self):
        pass


def verify(public_key, headers, method, target, body):
    """Raises InvalidSignature unless ``headers`` sign this request (what the gateway checks)."""
    message = string_to_sign(headers["X-Timestamp"], method, target, body).encode("utf-8")
    public_key.verify(base64.b64decode(headers["X-Signature"], validate=True), message)


class WorkedExampleTest(unittest.TestCase):
    def test_the_contracts_worked_example_signs_to_the_published_signature(self):
        key = Ed25519Key.from_pem("otk_test", TEST_KEY_PEM)
        self.assertEqual(TEST_PUBLIC_KEY, Ed25519Key.public_key_base64(key.private_key))
        self.assertEqual("1735810860123\nPOST\n/v1/orders\n"
                         "a3953b6fc39bf07df26b0ebc7f13f2cca1d46bb5a0a693e9598a7f8ce3d3faeb",
                         string_to_sign("1735810860123", "POST", "/v1/orders", EXAMPLE_BODY))
        self.assertEqual(EXAMPLE_SIGNATURE, key.sign("1735810860123", "POST", "/v1/orders", EXAMPLE_BODY))

    def test_headers_carry_the_clock_in_epoch_milliseconds(self):
        key = Ed25519Key.from_pem("otk_test", TEST_KEY_PEM, clock=lambda: 1735810860.123)
        headers = key.headers("POST", "/v1/orders", EXAMPLE_BODY)
        self.assertEqual({"X-API-Key": "otk_test", "X-Timestamp": "1735810860123", "X-Signature": EXAMPLE_SIGNATURE},
                         headers)
        self.assertEqual(88, len(headers["X-Signature"]))

    def test_a_request_signed_again_within_its_millisecond_gets_the_next_one(self):
        key = Ed25519Key.from_pem("otk_test", TEST_KEY_PEM, clock=lambda: 1735810860.123)
        stamps = [key.headers("GET", target, None)["X-Timestamp"]
                  for target in ("/v1/stream/market", "/v1/stream/market", "/v1/stream/orders", "/v1/stream/market")]
        stamps.append(key.auth_frame("/v1/stream/market")["timestamp"])
        # One signature per message: the gateway's replay guard refused the second of two streams opened at once.
        self.assertEqual(["1735810860123", "1735810860124", "1735810860123", "1735810860125", "1735810860126"], stamps)

    def test_a_request_without_body_hashes_no_bytes(self):
        self.assertTrue(string_to_sign("1", "get", "/v1/account", None).endswith(
            "\nGET\n/v1/account\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        with self.assertRaises(TypeError):
            string_to_sign("1", "POST", "/v1/orders", "text is ambiguous: bytes only")


class SignsWhatIsSentTest(unittest.TestCase):
    def setUp(self):
        self.key = Ed25519Key.from_pem("otk_test", TEST_KEY_PEM)
        self.public_key = self.key.private_key.public_key()
        self.pool = RecordingPool()
        self.signing = SigningPoolManager(self.pool, self.key)

    def test_a_non_ascii_body_is_signed_and_sent_as_the_same_utf8_bytes(self):
        text = '{"note":"买入 Bücher","qty":100}'
        self.signing.request("POST", "http://gw.example:8080/v1/orders", body=text,
                             headers={"Content-Type": "application/json"})
        sent = self.pool.sent[0]
        self.assertEqual(text.encode("utf-8"), sent["body"])
        verify(self.public_key, sent["headers"], "POST", "/v1/orders", text.encode("utf-8"))
        with self.assertRaises(InvalidSignature):  # the Latin-1 or escaped spelling is another message
            verify(self.public_key, sent["headers"], "POST", "/v1/orders", json.dumps(json.loads(text)).encode())

    def test_repeated_query_parameters_are_signed_in_the_order_and_spelling_sent(self):
        url = "http://gw.example:8080/v1/market/quotes?symbols=600000.SH&symbols=000001.SZ&symbols=600000.SH"
        self.signing.request("GET", url, fields={}, headers={})
        sent = self.pool.sent[0]
        self.assertEqual("/v1/market/quotes?symbols=600000.SH&symbols=000001.SZ&symbols=600000.SH", sent["target"])
        verify(self.public_key, sent["headers"], "GET", sent["target"], None)
        with self.assertRaises(InvalidSignature):
            verify(self.public_key, sent["headers"], "GET", "/v1/market/quotes?symbols=000001.SZ&symbols=600000.SH"
                   "&symbols=600000.SH", None)

    def test_the_target_is_signed_as_urllib3_encodes_it(self):
        self.signing.request("GET", "http://gw.example:8080/v1/orders?symbol=买 入&status=all", fields={}, headers={})
        sent = self.pool.sent[0]
        self.assertEqual("/v1/orders?symbol=%E4%B9%B0%20%E5%85%A5&status=all", sent["target"])
        verify(self.public_key, sent["headers"], "GET", sent["target"], None)

    def test_the_generated_client_sends_what_was_signed(self):
        client = api_client("http://gw.example:8080", self.key)
        client.rest_client.pool_manager._inner = self.pool
        self.pool.answer = json.dumps({"order_id": "1", "client_order_id": "c-1", "symbol": "600000.SH",
                                       "side": "buy", "type": "limit", "time_in_force": "day", "qty": 100,
                                       "price": "10.50", "stop_price": None, "filled_qty": 0, "leaves_qty": 100,
                                       "avg_fill_price": None, "status": "new", "reject_reason": None,
                                       "created_at": "2026-01-05T01:30:00.123Z",
                                       "updated_at": "2026-01-05T01:30:00.123Z"}).encode()
        order = opentrade.TradingApi(client).place_order(opentrade.OrderCreate(
            symbol="600000.SH", side="buy", qty=100, price=opentrade.OrderCreatePrice("10.50"), client_order_id="c-1"))
        self.assertEqual("c-1", order.client_order_id)
        sent = self.pool.sent[0]
        self.assertEqual("/v1/orders", sent["target"])
        self.assertEqual("c-1", json.loads(sent["body"])["client_order_id"])
        verify(self.public_key, sent["headers"], "POST", "/v1/orders", sent["body"])

        opentrade.MarketApi(client).api_client.rest_client.pool_manager._inner.answer = json.dumps(
            {"symbol": "600000.SH", "interval": "1m", "bars": [], "next_cursor": None}).encode()
        opentrade.MarketApi(client).get_klines("600000.SH", interval="1m", limit=100)
        sent = self.pool.sent[1]
        self.assertEqual("/v1/market/klines/600000.SH?interval=1m&limit=100", sent["target"])
        verify(self.public_key, sent["headers"], "GET", sent["target"], None)


class OtherCredentialsTest(unittest.TestCase):
    def test_secret_keys_and_sessions_send_their_headers_and_auth_frames(self):
        self.assertEqual({"X-API-Key": "otk_a", "X-API-Secret": "s"}, SecretKey("otk_a", "s").headers("GET", "/", None))
        self.assertEqual({"Authorization": "Bearer jwt"}, Session("jwt").headers("GET", "/", None))
        self.assertEqual({"op": "auth", "token": "jwt"}, Session("jwt").auth_frame("/v1/stream/orders"))

    def test_an_ed25519_auth_frame_signs_the_upgrade_request(self):
        key = Ed25519Key.from_pem("otk_test", TEST_KEY_PEM, clock=lambda: 1735810860.123)
        frame = key.auth_frame("/v1/stream/orders?cancel_on_disconnect=true")
        self.assertEqual("1735810860123", frame["timestamp"])
        verify(key.private_key.public_key(), {"X-Timestamp": frame["timestamp"], "X-Signature": frame["signature"]},
               "GET", "/v1/stream/orders?cancel_on_disconnect=true", None)


if __name__ == "__main__":
    unittest.main()
