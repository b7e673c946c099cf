package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.app.ApiGateway;
import org.opentrade.gateway.app.TestGateway;

/**
 * A body comes only as {@code application/json}. A web page can make its visitors' browsers send a body without a
 * Content-Type (a Blob in {@code fetch} with {@code mode: 'no-cors'}) or as {@code text/plain} ({@code
 * navigator.sendBeacon} with a string) without a CORS preflight; read as JSON, such bodies would let it spread
 * log-in guesses and sign-ups over the visitors' addresses. They are refused with 415 -1006 before any budget is
 * charged, on the gateway's own routes and the routed API ones alike. The test client plays a trusted proxy so
 * that each request can come "from" any address.
 */
class JsonOnlyBodiesTest {
    private static final String[] NOT_JSON = {null, "text/plain", "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp",
        "application/json-seq", "text/json"};

    @TempDir
    Path dir;
    TestGateway gw;
    final AtomicInteger upstreamCalls = new AtomicInteger();

    private void start(String limits) throws Exception {
        gw = TestGateway.start(dir, "gateway:\n  data_dir: " + dir.resolve("data") + "\n"
                + "  trusted_proxies: [\"127.0.0.0/8\"]\nlimits:\n" + limits, policy -> ctx -> {
                    upstreamCalls.incrementAndGet();
                    ctx.response().putHeader("Content-Type", "application/json").end("{}");
                }, ApiGateway::embeddedStores);
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    /** {@code method path} with {@code body} as {@code contentType} (none when null), from {@code from}. */
    private HttpResponse<String> send(String method, String path, String body, String contentType, String from,
                                      String... headers) throws Exception {
        HttpRequest.Builder b = gw.request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).header("X-Forwarded-For", from);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return gw.send(b);
    }

    private static String credentials(String email, String password) {
        return new JsonObject().put("email", email).put("password", password).encode();
    }

    private static void assertUnsupportedMediaType(HttpResponse<String> r, String contentType) {
        assertEquals(415, r.statusCode(), contentType + ": " + r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(-1006, body.getInteger("error_no"), contentType + ": " + r.body());
        assertTrue(body.getString("error").contains("application/json"), r.body());
        assertEquals(r.headers().firstValue("X-Trace-Id").orElseThrow(), body.getString("trace_id"));
    }

    @Test
    void aLogInWhoseBodyIsNotSentAsJsonIsRefusedAndChargesNoLogInBudget() throws Exception {
        start("  per_address_per_minute: 2\n  login_attempts_per_account: 3\n  login_account_window: 15m\n");
        gw.signUpAndLogIn("victim@example.com", "192.0.2.1"); // one attempt of the account's budget
        for (int round = 0; round < 3; round++) {
            for (String type : NOT_JSON) {
                assertUnsupportedMediaType(send("POST", "/v1/sessions", credentials("victim@example.com",
                        "correct horse battery"), type, "198.51.100.7"), type);
            }
        }
        // Had any refusal been charged, the address (2 a minute) and the account (3 in all) would be spent.
        assertEquals(201, send("POST", "/v1/sessions", credentials("victim@example.com", "correct horse battery"),
                "application/json", "198.51.100.7").statusCode());
        assertEquals(401, send("POST", "/v1/sessions", credentials("victim@example.com", "a guess"),
                "application/json", "198.51.100.7").statusCode());
    }

    @Test
    void aTextPlainLogInIsRefusedBeforeTheAddressBudgetIsCharged() throws Exception {
        start("  per_address_per_minute: 2\n");
        gw.signUpAndLogIn("eve@example.com", "192.0.2.1");
        for (int i = 0; i < 5; i++) { // navigator.sendBeacon(url, string) sends text/plain;charset=UTF-8
            assertUnsupportedMediaType(send("POST", "/v1/sessions", credentials("eve@example.com", "guess " + i),
                    "text/plain;charset=UTF-8", "198.51.100.9"), "text/plain");
        }
        assertEquals(201, send("POST", "/v1/sessions", credentials("eve@example.com", "correct horse battery"),
                "application/json", "198.51.100.9").statusCode(), "the address's 2 log-ins a minute are untouched");
    }

    @Test
    void aSignUpOrPasswordResetWhoseBodyIsNotSentAsJsonIsRefusedAndChangesNothing() throws Exception {
        start("  per_address_per_minute: 1000\n  signups_per_address_per_hour: 1\n");
        String signUp = new JsonObject().put("email", "blind@example.com").put("password", "correct horse battery")
                .put("name", "Blind").encode();
        for (String type : NOT_JSON) {
            assertUnsupportedMediaType(send("POST", "/v1/developers", signUp, type, "198.51.100.8"), type);
            assertUnsupportedMediaType(send("POST", "/v1/developers/password-reset", new JsonObject()
                    .put("reset_token", "x").put("new_password", "another password").encode(), type, "198.51.100.8"), type);
        }
        assertEquals(401, send("POST", "/v1/sessions", credentials("blind@example.com", "correct horse battery"),
                "application/json", "203.0.113.1").statusCode(), "no developer was made");
        assertEquals(201, send("POST", "/v1/developers", signUp, "application/json", "198.51.100.8").statusCode(),
                "the address's sign-up budget (1 an hour) is untouched");
    }

    @Test
    void jsonWithParametersOrInAnyCaseIsAccepted() throws Exception {
        start("  per_address_per_minute: 1000\n");
        gw.signUpAndLogIn("ada@example.com", "192.0.2.1");
        for (String type : new String[] {"application/json; charset=utf-8", "Application/JSON", " application/json ;charset=UTF-8"}) {
            assertEquals(201, send("POST", "/v1/sessions", credentials("ada@example.com", "correct horse battery"),
                    type, "192.0.2.1").statusCode(), type);
        }
    }

    @Test
    void aRequestWithoutABodyIsUnaffectedByItsContentType() throws Exception {
        start("  per_address_per_minute: 1000\n");
        String token = gw.signUpAndLogIn("bob@example.com", "192.0.2.1");
        String keyId = gw.createKey(token, new JsonObject()).getString("key_id");
        for (String type : new String[] {null, "text/plain"}) {
            HttpResponse<String> rotated = send("POST", "/v1/keys/" + keyId + "/rotate", null, type, "192.0.2.1",
                    "Authorization", "Bearer " + token);
            assertEquals(200, rotated.statusCode(), type + ": " + rotated.body());
            assertEquals(200, send("POST", "/v1/sessions/refresh", null, type, "192.0.2.1",
                    "Authorization", "Bearer " + token).statusCode(), type);
        }
        HttpResponse<String> missing = send("POST", "/v1/sessions", null, null, "192.0.2.1");
        assertEquals(400, missing.statusCode(), "a required body that is missing stays -1002: " + missing.body());
        assertEquals(-1002, new JsonObject(missing.body()).getInteger("error_no"));
    }

    @Test
    void aRoutedOrderWhoseBodyIsNotSentAsJsonNeverReachesTheService() throws Exception {
        start("  per_address_per_minute: 1000\n");
        String token = gw.signUpAndLogIn("cy@example.com", "192.0.2.1");
        String order = new JsonObject().put("symbol", "600000.SH").put("side", "buy").put("type", "limit")
                .put("qty", 100).put("price", "10.00").encode();
        for (String type : NOT_JSON) {
            assertUnsupportedMediaType(send("POST", "/v1/orders", order, type, "192.0.2.1",
                    "Authorization", "Bearer " + token), type);
        }
        assertEquals(0, upstreamCalls.get());
        assertEquals(200, send("POST", "/v1/orders", order, "application/json", "192.0.2.1",
                "Authorization", "Bearer " + token).statusCode());
        assertEquals(1, upstreamCalls.get());
    }

    @Test
    void theConnectionOfARefusedBodyServesTheNextRequest() throws Exception {
        start("  per_address_per_minute: 1000\n");
        String big = credentials("x@example.com", "p".repeat(200)) + " ".repeat(60_000); // more than one read
        String login = credentials("nobody@example.com", "a guess");
        String requests = "POST /v1/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + big.length() + "\r\n\r\n" + big
                + "POST /v1/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(login.length()) + "\r\n" + login + "\r\n0\r\n\r\n"
                + "POST /v1/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: " + login.length() + "\r\n\r\n" + login;
        String answer;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5_000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
            answer = out.toString(StandardCharsets.UTF_8);
        }
        int first = answer.indexOf("HTTP/1.1 415 ");
        int second = answer.indexOf("HTTP/1.1 415 ", first + 1);
        int third = answer.indexOf("HTTP/1.1 401 ", second + 1);
        assertTrue(first == 0 && second > first && third > second, "two refusals, then the JSON log-in answered: " + answer);
    }
}
