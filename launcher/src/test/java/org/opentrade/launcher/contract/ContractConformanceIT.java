package org.opentrade.launcher.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real traffic through Prism's proxy ({@link PrismProxy}) to the all-in-one: every REST operation of
 * {@code openapi/opentrade.yaml}, with success answers and the refusals a client meets (400, 401, 403,
 * 404, 409, 422, 429), and not one answer that breaks the contract. Every answer is the service's own
 * (Prism forwards it unchanged; the test checks its status and error number). Problems are collected
 * over the whole run and reported together, so one run shows every mismatch.
 */
@ExtendWith(SharedAllInOne.class)
class ContractConformanceIT {
    private static final String SYMBOL = "600000.SH";
    private static PrismProxy prism;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final OpenApiContract CONTRACT = OpenApiContract.load();

    /** What went wrong, over the whole run. */
    private final List<String> problems = new ArrayList<>();
    /** Per contract operation, the statuses seen. */
    private final Map<String, Set<Integer>> seen = new TreeMap<>();
    private String adminToken;

    @BeforeAll
    static void startPrism(AllInOneFixture aio) throws Exception {
        prism = PrismProxy.start(aio.baseUri());
    }

    @AfterAll
    static void stopPrism() {
        if (prism != null) {
            prism.close();
        }
    }

    @Test
    void everyOperationAnswersWithinTheContract(AllInOneFixture aio) throws Exception {
        adminToken = aio.adminToken();
        operations();
        Session ada = developers("Ada");
        // a second developer for refusals and suspension (each developer may change keys 10 times a minute)
        Session eve = developers("Eve");
        Keys keys = keys(ada, eve);
        eve = admin(eve); // logged in again: the suspension ended the sessions from before it
        market(keys);
        trading(ada, keys);
        metering(ada, keys);
        streams(keys);
        rateLimited();
        revoke(ada, eve, keys);
        passwords(eve);

        System.out.println("contract replay through Prism, statuses per operation: " + seen);
        Set<String> uncovered = new TreeSet<>(CONTRACT.operations());
        uncovered.removeAll(seen.keySet());
        if (!uncovered.isEmpty()) {
            problems.add("operations the traffic never reached: " + uncovered);
        }
        assertTrue(problems.isEmpty(), problems.size() + " problem(s):\n" + String.join("\n", problems)
                + "\nstatuses seen per operation: " + seen);
        // The same answers as Prism's log has them: what a client that hides headers (the SDK) would check.
        assertTrue(prism.loggedResponseViolations().isEmpty(), "Prism logged response violations:\n"
                + String.join("\n", prism.loggedResponseViolations()));
    }

    // ---- the traffic, by area

    private void operations() throws Exception {
        call("GET", "/health", null).expect(200);
        call("GET", "/ready", null).expect(200);
        Exchange metrics = call("GET", "/metrics", null).expect(200);
        check(metrics.body.contains("opentrade_"), "metrics are Prometheus text: " + clip(metrics.body));
    }

    private Session developers(String name) throws Exception {
        String email = name.toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID() + "@example.com";
        String signUp = json("email", email, "password", "long enough pw", "name", name);
        Exchange created = call("POST", "/v1/developers", signUp).expect(201);
        call("POST", "/v1/developers", signUp).expectError(409, -2014);
        call("POST", "/v1/developers", json("email", "x-" + email, "password", "short", "name", "X"))
                .invalidRequest().expectError(400, -1002);
        call("POST", "/v1/developers", "[1]").invalidRequest().expectError(400, -1001);
        Exchange session = call("POST", "/v1/sessions", json("email", email, "password", "long enough pw")).expect(201);
        call("POST", "/v1/sessions", json("email", email, "password", "wrong password")).expectError(401, -2013);
        Session who = new Session(created.json().getString("developer_id"), email, session.json().getString("token"));
        call("GET", "/v1/developers/me", null, who.bearer()).expect(200);
        call("GET", "/v1/developers/me", null).invalidRequest().expectError(401, -2001);
        call("GET", "/v1/developers/me", null, "Authorization", "Bearer not-a-token").expectError(401, -2012);
        return who;
    }

    private Keys keys(Session ada, Session eve) throws Exception {
        // pro: room for the keys below (free allows 5)
        call("PUT", "/v1/admin/developers/" + ada.id + "/plan", json("plan", "pro"), admin()).expect(200);
        JsonObject market = call("POST", "/v1/keys", "{}", ada.bearer()).expect(201).json();
        JsonObject trade = call("POST", "/v1/keys", "{\"scopes\":[\"market:read\",\"trade\"],\"label\":\"bot\"}",
                ada.bearer()).expect(201).json();
        JsonObject tradeOnly = call("POST", "/v1/keys", "{\"scopes\":[\"trade\"]}", ada.bearer()).expect(201).json();
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        JsonObject signed = call("POST", "/v1/keys", "{\"type\":\"ed25519\",\"public_key\":\"" + publicKey + "\"}",
                ada.bearer()).expect(201).json();
        call("POST", "/v1/keys", "{\"scopes\":[]}", eve.bearer()).invalidRequest().expectError(400, -1002);
        call("POST", "/v1/keys", json("plan", "partner"), eve.bearer()).expectError(403, -2020);
        call("POST", "/v1/keys", "{}").invalidRequest().expectError(401, -2001);
        call("GET", "/v1/keys", null, ada.bearer()).expect(200);
        // rotation: the new secret is the one to use from now on
        JsonObject rotated = call("POST", "/v1/keys/" + market.getString("key_id") + "/rotate", "{\"grace_seconds\":0}",
                ada.bearer()).expect(200).json();
        call("POST", "/v1/keys/" + signed.getString("key_id") + "/rotate", null, ada.bearer()).expectError(403, -2019);
        call("POST", "/v1/keys/otk_0000000000000000/rotate", null, eve.bearer()).expectError(404, -1004);
        // a key's plan, up to the developer's own
        call("PUT", "/v1/keys/" + tradeOnly.getString("key_id") + "/plan", json("plan", "free"), ada.bearer()).expect(200);
        call("PUT", "/v1/keys/" + tradeOnly.getString("key_id") + "/plan", json("plan", "partner"), ada.bearer())
                .expectError(403, -2020);
        return new Keys(new Key(market.getString("key_id"), rotated.getString("secret")),
                new Key(trade.getString("key_id"), trade.getString("secret")),
                new Key(tradeOnly.getString("key_id"), tradeOnly.getString("secret")),
                signed.getString("key_id"), pair);
    }

    /** The admin operations; answers the developer's session after its suspension was lifted (a new log-in). */
    private Session admin(Session eve) throws Exception {
        call("GET", "/v1/admin/developers", null, admin()).expect(200);
        call("GET", "/v1/admin/developers", null).invalidRequest().expectError(401, -2017);
        call("GET", "/v1/admin/keys", null, admin()).expect(200);
        String eveKey = call("POST", "/v1/keys", "{}", eve.bearer()).expect(201).json().getString("key_id");
        call("POST", "/v1/admin/developers/" + eve.id + "/suspend", null, admin()).expect(200);
        call("POST", "/v1/sessions", json("email", eve.email, "password", "long enough pw")).expectError(403, -2015);
        call("GET", "/v1/keys", null, eve.bearer()).expectError(403, -2015);
        call("POST", "/v1/admin/developers/" + eve.id + "/unsuspend", null, admin()).expect(200);
        call("GET", "/v1/keys", null, eve.bearer()).expectError(401, -2011); // a suspension ends every session
        Session again = new Session(eve.id, eve.email, call("POST", "/v1/sessions",
                json("email", eve.email, "password", "long enough pw")).expect(201).json().getString("token"));
        call("POST", "/v1/admin/developers/dev_000000000000/suspend", null, admin()).expectError(404, -1004);
        call("PUT", "/v1/admin/developers/" + eve.id + "/plan", json("plan", "gold"), admin()).invalidRequest()
                .expectError(400, -1008);
        call("POST", "/v1/admin/keys/" + eveKey + "/kill", null, admin()).expect(200);
        call("POST", "/v1/admin/keys/" + eveKey + "/unkill", null, admin()).expect(200);
        call("POST", "/v1/admin/keys/otk_0000000000000000/kill", null, admin()).expectError(404, -1004);
        call("PUT", "/v1/admin/keys/" + eveKey + "/plan", json("plan", "pro"), admin()).expect(200);
        return again;
    }

    private void market(Keys keys) throws Exception {
        String[] k = keys.market.headers();
        call("GET", "/v1/market/instruments", null, k).expect(200);
        call("GET", "/v1/market/instruments/" + SYMBOL, null, k).expect(200);
        call("GET", "/v1/market/instruments/999999.SH", null, k).expectError(404, -6001);
        call("GET", "/v1/market/quotes?symbols=" + SYMBOL + ",000001.SZ", null, k).expect(200);
        call("GET", "/v1/market/quotes", null, k).invalidRequest().expectError(400, -1002);
        call("GET", "/v1/market/quotes?symbols=999999.SH", null, k).expectError(404, -6001);
        call("GET", "/v1/market/depth/" + SYMBOL + "?levels=5", null, k).expect(200);
        call("GET", "/v1/market/depth/" + SYMBOL + "?levels=99", null, k).invalidRequest().expectStatus(400);
        call("GET", "/v1/market/depth/999999.SH", null, k).expectError(404, -6001);
        call("GET", "/v1/market/trades/" + SYMBOL + "?limit=5", null, k).expect(200);
        call("GET", "/v1/market/trades/" + SYMBOL + "?limit=0", null, k).invalidRequest().expectStatus(400);
        call("GET", "/v1/market/klines/" + SYMBOL + "?interval=1m&limit=5", null, k).expect(200);
        call("GET", "/v1/market/klines/" + SYMBOL + "?interval=1d&limit=5", null, k).expect(200);
        call("GET", "/v1/market/klines/" + SYMBOL + "?interval=7x", null, k).invalidRequest().expectStatus(400);
        call("GET", "/v1/market/minute-line/" + SYMBOL, null, k).expect(200);
        call("GET", "/v1/market/minute-line/999999.SH", null, k).expectError(404, -6001);
        call("GET", "/v1/market/rankings?by=volume&order=desc&limit=5", null, k).expect(200);
        call("GET", "/v1/market/rankings?by=beauty", null, k).invalidRequest().expectStatus(400);
        call("GET", "/v1/market/clock", null, k).expect(200);
        call("GET", "/v1/market/calendar?start=2026-01-05&end=2026-01-09", null, k).expect(200);
        call("GET", "/v1/market/calendar", null, k).expect(200);
        call("GET", "/v1/market/calendar?start=2026-01-09&end=2026-01-05", null, k).expectError(400, -6003);
        call("GET", "/v1/market/calendar?start=monday", null, k).invalidRequest().expectError(400, -6003);
        // a session works too; a key without market:read does not; a wrong secret is refused
        call("GET", "/v1/market/quotes?symbols=" + SYMBOL, null, keys.tradeOnly.headers()).expectError(403, -2006);
        call("GET", "/v1/market/quotes?symbols=" + SYMBOL, null, "X-API-Key", keys.market.id, "X-API-Secret",
                "ots_wrong").expectError(401, -2003);
        call("GET", "/v1/market/quotes?symbols=" + SYMBOL, null).invalidRequest().expectError(401, -2001);
    }

    private void trading(Session ada, Keys keys) throws Exception {
        String[] k = keys.trade.headers();
        JsonObject instrument = call("GET", "/v1/market/instruments/" + SYMBOL, null, k).expect(200).json();
        BigDecimal prev = new BigDecimal(instrument.getString("prev_close"));
        BigDecimal tick = new BigDecimal(instrument.getString("tick_size"));
        String low = price(prev.multiply(new BigDecimal("0.95")), tick);
        String high = price(prev.multiply(new BigDecimal("1.05")), tick);

        call("GET", "/v1/account", null, k).expect(200);
        call("POST", "/v1/account/reset", "{}", k).expect(200);
        call("POST", "/v1/account/reset", json("starting_balance", "lots"), k).invalidRequest().expectError(422, -1002);
        call("GET", "/v1/positions", null, k).expect(200);
        call("GET", "/v1/positions/" + SYMBOL, null, k).expectError(404, -4117);
        call("DELETE", "/v1/positions/" + SYMBOL, null, k).expectError(404, -4117);
        call("DELETE", "/v1/positions/" + SYMBOL + "?qty=0", null, k).invalidRequest().expectError(422, -1002);
        call("DELETE", "/v1/positions", null, k).expect(200);
        String order = "{\"symbol\":\"" + SYMBOL + "\",\"side\":\"buy\",\"qty\":100,\"price\":\"" + low
                + "\",\"client_order_id\":\"ct-1\"}";
        JsonObject placed = call("POST", "/v1/orders", order, k).expect(201).json();
        String orderId = placed.getString("order_id");
        call("POST", "/v1/orders", order, k).expect(200);
        call("POST", "/v1/orders", order.replace("\"qty\":100", "\"qty\":200"), k).expectError(409, -4111);
        call("POST", "/v1/orders", "{\"symbol\":\"" + SYMBOL + "\",\"side\":\"sideways\",\"qty\":100}", k)
                .invalidRequest().expectError(422, -1002);
        call("POST", "/v1/orders", "{\"symbol\":\"" + SYMBOL + "\",\"side\":\"buy\",\"qty\":150,\"price\":\"" + low + "\"}", k)
                .expectError(422, -4103);
        call("POST", "/v1/orders", "{\"side\":\"buy\",\"qty\":100}", k).invalidRequest().expectError(400, -1002);
        call("POST", "/v1/orders", "[1]", k).invalidRequest().expectError(400, -1001);
        // marketable: fills against the simulator's liquidity, so fills and positions have content
        call("POST", "/v1/orders", "{\"symbol\":\"" + SYMBOL + "\",\"side\":\"buy\",\"qty\":100,\"price\":\"" + high
                + "\",\"time_in_force\":\"ioc\"}", k).expect(201);
        call("GET", "/v1/orders", null, k).expect(200);
        call("GET", "/v1/orders?status=all&limit=10", null, k).expect(200);
        call("GET", "/v1/orders?status=sideways", null, k).invalidRequest().expectError(422, -1002);
        call("GET", "/v1/orders/" + orderId, null, k).expect(200);
        call("GET", "/v1/orders/ord_unknown", null, k).expectError(404, -4112);
        call("GET", "/v1/orders/by-client-id/ct-1", null, k).expect(200);
        call("GET", "/v1/orders/by-client-id/nobody", null, k).expectError(404, -4112);
        call("PATCH", "/v1/orders/" + orderId, "{\"qty\":200}", k).expect(200);
        call("PATCH", "/v1/orders/" + orderId, "{}", k).invalidRequest().expectError(422, -1002);
        call("PATCH", "/v1/orders/ord_unknown", "{\"qty\":200}", k).expectError(404, -4112);
        call("DELETE", "/v1/orders/" + orderId, null, k).expect(200);
        call("DELETE", "/v1/orders/" + orderId, null, k).expectError(409, -4113);
        call("PATCH", "/v1/orders/" + orderId, "{\"qty\":300}", k).expectError(409, -4113);
        call("DELETE", "/v1/orders/ord_unknown", null, k).expectError(404, -4112);
        call("GET", "/v1/fills?limit=10", null, k).expect(200);
        call("GET", "/v1/positions", null, k).expect(200);
        // the marketable buy above filled: its position is closed by a market sell into the simulator's bids
        call("GET", "/v1/positions/" + SYMBOL, null, k).expect(200);
        call("DELETE", "/v1/positions/" + SYMBOL + "?qty=100", null, k).expect(201);
        call("DELETE", "/v1/positions", null, k).expect(200);
        call("POST", "/v1/orders", "{\"symbol\":\"" + SYMBOL + "\",\"side\":\"buy\",\"qty\":100,\"price\":\"" + low
                + "\"}", k).expect(201);
        call("DELETE", "/v1/orders?symbol=" + SYMBOL + "&side=sell", null, k).expect(200);
        call("DELETE", "/v1/orders?side=short", null, k).invalidRequest().expectError(422, -1002);
        call("DELETE", "/v1/orders?symbol=" + SYMBOL, null, k).expect(200);
        call("DELETE", "/v1/orders", null, k).expect(200);
        call("POST", "/v1/account/kill-switch", json("enabled", true), k).expect(200);
        call("POST", "/v1/orders", "{\"symbol\":\"" + SYMBOL + "\",\"side\":\"buy\",\"qty\":100,\"price\":\"" + low
                + "\"}", k).expectError(403, -4110);
        call("POST", "/v1/account/kill-switch", json("enabled", false), k).expect(200);
        call("POST", "/v1/account/kill-switch", json("enabled", "yes"), k).invalidRequest().expectError(422, -1002);
        // a session trades on the developer's account too; a key without the trade scope cannot
        call("GET", "/v1/account", null, ada.bearer()).expect(200);
        call("GET", "/v1/account", null, keys.market.headers()).expectError(403, -2006);
    }

    private void metering(Session ada, Keys keys) throws Exception {
        Exchange limits = call("GET", "/v1/limits", null, keys.market.headers()).expect(200);
        call("GET", "/v1/limits", null, ada.bearer()).expect(200);
        call("GET", "/v1/limits", null, signed(keys, "GET", "/v1/limits")).expect(200);
        call("GET", "/v1/usage", null, ada.bearer()).expect(200);
        call("GET", "/v1/usage?key_id=" + keys.market.id, null, keys.market.headers()).expect(200);
        call("GET", "/v1/usage?key_id=otk_0000000000000000", null, ada.bearer()).expectError(404, -1004);
        String trace = limits.response.headers().firstValue("X-Trace-Id").orElse("");
        call("GET", "/v1/traces/" + trace, null, ada.bearer()).expect(200);
        call("GET", "/v1/traces/00000000000000000000000000000000", null, ada.bearer()).expectError(404, -1004);
        call("GET", "/v1/traces/not-hex", null, ada.bearer()).invalidRequest().expectError(404, -1004);
    }

    private void streams(Keys keys) throws Exception {
        // Prism cannot forward a WebSocket upgrade: what it can check are the refusals before one.
        call("GET", "/v1/stream/market", null).invalidRequest().expectStatus(401);
        call("GET", "/v1/stream/orders", null).invalidRequest().expectStatus(401);
        call("GET", "/v1/stream/orders", null, keys.market.headers()).expectError(403, -2006);
    }

    private void rateLimited() throws Exception {
        // The per-account log-in budget (gateway.yaml: 10 per 15 minutes): the 11th attempt is refused.
        String login = json("email", "mallory-" + UUID.randomUUID() + "@example.com", "password", "guess");
        for (int i = 0; i < 10; i++) {
            call("POST", "/v1/sessions", login).expectError(401, -2013);
        }
        Exchange limited = call("POST", "/v1/sessions", login).expectError(429, -3001);
        check(limited.response.headers().firstValue("Retry-After").isPresent(), "429 without Retry-After");
    }

    private void revoke(Session ada, Session eve, Keys keys) throws Exception {
        call("DELETE", "/v1/keys/" + keys.tradeOnly.id, null, ada.bearer()).expect(200);
        call("GET", "/v1/account", null, keys.tradeOnly.headers()).expectError(401, -2004);
        call("DELETE", "/v1/keys/otk_0000000000000000", null, eve.bearer()).expectError(404, -1004);
    }

    /** Last: it ends the developer's sessions. */
    private void passwords(Session eve) throws Exception {
        String change = json("current_password", "long enough pw", "new_password", "a longer passphrase");
        call("PUT", "/v1/developers/me/password", json("current_password", "wrong password",
                "new_password", "a longer passphrase"), eve.bearer()).expectError(403, -2022);
        call("PUT", "/v1/developers/me/password", json("current_password", "long enough pw", "new_password", "short"),
                eve.bearer()).invalidRequest().expectError(400, -1002);
        call("PUT", "/v1/developers/me/password", change).invalidRequest().expectError(401, -2001);
        Session refreshed = new Session(eve.id, eve.email,
                call("POST", "/v1/sessions/refresh", null, eve.bearer()).expect(200).json().getString("token"));
        call("POST", "/v1/sessions/refresh", null).invalidRequest().expectError(401, -2001);
        Session second = new Session(eve.id, eve.email, call("POST", "/v1/sessions",
                json("email", eve.email, "password", "long enough pw")).expect(201).json().getString("token"));
        call("DELETE", "/v1/sessions/current", null, second.bearer()).expect(200);
        call("GET", "/v1/developers/me", null, second.bearer()).expectError(401, -2011);
        Session renewed = new Session(eve.id, eve.email,
                call("PUT", "/v1/developers/me/password", change, refreshed.bearer()).expect(200).json().getString("token"));
        call("GET", "/v1/developers/me", null, eve.bearer()).expectError(401, -2011);
        call("DELETE", "/v1/sessions", null, renewed.bearer()).expect(200);
        call("DELETE", "/v1/sessions", null, renewed.bearer()).expectError(401, -2011);
        String grant = call("POST", "/v1/admin/developers/" + eve.id + "/password-reset", null, admin()).expect(200)
                .json().getString("reset_token");
        call("POST", "/v1/admin/developers/" + eve.id + "/password-reset", null).invalidRequest().expectError(401, -2017);
        call("POST", "/v1/admin/developers/dev_000000000000/password-reset", null, admin()).expectError(404, -1004);
        String reset = json("reset_token", grant, "new_password", "set by a reset");
        call("POST", "/v1/developers/password-reset", reset).expect(200);
        call("POST", "/v1/developers/password-reset", reset).expectError(400, -2023);
        call("POST", "/v1/sessions", json("email", eve.email, "password", "set by a reset")).expect(201);
    }

    // ---- plumbing

    private record Session(String id, String email, String token) {
        String[] bearer() {
            return new String[] {"Authorization", "Bearer " + token};
        }
    }

    private record Key(String id, String secret) {
        String[] headers() {
            return new String[] {"X-API-Key", id, "X-API-Secret", secret};
        }
    }

    private record Keys(Key market, Key trade, Key tradeOnly, String signedId, KeyPair signing) {
    }

    private String[] admin() {
        return new String[] {"X-Admin-Token", adminToken};
    }

    /** Headers of an Ed25519-signed request without a body (README: the string to sign). */
    private static String[] signed(Keys keys, String method, String pathAndQuery) throws Exception {
        String ts = Long.toString(System.currentTimeMillis());
        String bodyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[0]));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.signing.getPrivate());
        s.update((ts + "\n" + method + "\n" + pathAndQuery + "\n" + bodyHash).getBytes(StandardCharsets.UTF_8));
        return new String[] {"X-API-Key", keys.signedId, "X-Timestamp", ts,
                "X-Signature", Base64.getEncoder().encodeToString(s.sign())};
    }

    private static String price(BigDecimal raw, BigDecimal tick) {
        return raw.divide(tick, 0, RoundingMode.DOWN).multiply(tick).setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }

    /** A compact JSON object of name/value pairs (Prism forwards bodies re-serialised compactly). */
    private static String json(Object... pairs) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < pairs.length; i += 2) {
            o.put((String) pairs[i], pairs[i + 1]);
        }
        return o.encode();
    }

    private Exchange call(String method, String pathAndQuery, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(prism.baseUri() + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        String op = CONTRACT.operationOf(method, path).orElse(null);
        if (op == null) {
            problems.add(method + " " + pathAndQuery + ": no operation of the contract matches");
        } else {
            seen.computeIfAbsent(op, x -> new TreeSet<>()).add(response.statusCode());
        }
        return new Exchange(method + " " + pathAndQuery, response);
    }

    private void check(boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** One request and its answer through Prism; the expectations record problems, they do not throw. */
    private final class Exchange {
        final String request;
        final HttpResponse<String> response;
        final String body;
        private boolean requestMayBeInvalid;

        Exchange(String request, HttpResponse<String> response) {
            this.request = request;
            this.response = response;
            this.body = response.body();
        }

        /** The request itself breaks the contract on purpose (a missing credential, a bad value). */
        Exchange invalidRequest() {
            requestMayBeInvalid = true;
            return this;
        }

        Exchange expect(int status) {
            expectStatus(status);
            return this;
        }

        Exchange expectError(int status, int errorNo) {
            expectStatus(status);
            if (!body.isEmpty() && body.startsWith("{")) {
                JsonObject e = new JsonObject(body);
                check(Integer.valueOf(errorNo).equals(e.getInteger("error_no")), request + ": expected error_no "
                        + errorNo + ", got " + clip(body));
                check(response.headers().firstValue("X-Trace-Id").orElse("-").equals(e.getString("trace_id")),
                        request + ": the error's trace_id is not X-Trace-Id (not the service's own answer?)");
            } else {
                problems.add(request + ": expected the error model, got " + clip(body));
            }
            return this;
        }

        Exchange expectStatus(int status) {
            check(response.statusCode() == status, request + ": expected " + status + ", got " + response.statusCode()
                    + " " + clip(body));
            check(response.headers().firstValue("X-Trace-Id").isPresent(), request + ": no X-Trace-Id (not the "
                    + "service's answer?)");
            for (PrismProxy.Violation v : PrismProxy.violations(response.headers())) {
                if (v.inResponse() || !requestMayBeInvalid) {
                    problems.add(request + " -> " + response.statusCode() + ": " + v);
                }
            }
            return this;
        }

        JsonObject json() {
            return body.startsWith("{") ? new JsonObject(body) : new JsonObject().put("items", new JsonArray());
        }
    }
}
