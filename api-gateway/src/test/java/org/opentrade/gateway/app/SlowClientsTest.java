package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.port.Await;

/**
 * Slow and greedy clients over raw sockets: a trickled head or body does not hold a connection, an
 * idle keep-alive connection is closed, oversize heads get the error model, and connections over the
 * cap are refused. A server that never closes shows up as the client's read timing out (a failure).
 */
class SlowClientsTest {
    /** Far longer than any limit under test: reaching it means the server held the connection. */
    private static final int CLIENT_READ_TIMEOUT_MS = 20_000;

    @TempDir
    Path dir;
    TestGateway gw;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
    }

    private void start(String gatewayKeys) throws Exception {
        gw = TestGateway.start(dir, "", null, ApiGateway::embeddedStores, gatewayKeys);
    }

    @Test
    void aHalfSentRequestHeadIsCutOff() throws Exception {
        start("  request_read_timeout: 300ms\n");
        try (Socket s = connect()) {
            s.getOutputStream().write("GET /v1/limits HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertEquals("", readUntilClosed(s), "the server closed without an answer");
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterItsAnswer() throws Exception {
        start("  request_read_timeout: 300ms\n");
        try (Socket s = connect()) {
            s.getOutputStream().write("GET /v1/nothing-here HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = readUntilClosed(s);
            assertTrue(answer.startsWith("HTTP/1.1 404"), answer);
        }
    }

    @Test
    void anUpgradeHeaderOnAPlainRequestDoesNotExemptTheConnection() throws Exception {
        start("  request_read_timeout: 300ms\n");
        try (Socket s = connect()) {
            s.getOutputStream().write(("GET /v1/nothing-here HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: keep-alive\r\n\r\nGET /v1/limits HTTP/1.1\r\nX-Slow: ").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = readUntilClosed(s);
            assertTrue(answer.startsWith("HTTP/1.1 404"), answer);
        }
    }

    @Test
    void anOpenWebSocketOutlivesTheRequestReadTimeout() throws Exception {
        gw = TestGateway.start(dir, "", policy -> ctx -> ctx.request().toWebSocket().onSuccess(ws ->
                ctx.vertx().setTimer(1_500, id -> ws.writeTextMessage("late"))),
                ApiGateway::embeddedStores, "  request_read_timeout: 200ms\n");
        String token = gw.signUpAndLogIn("ada@example.com");
        JsonObject key = gw.createKey(token, new JsonObject());
        java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket ws = openStream(java.net.http.HttpClient.newHttpClient(), key, received);
        try {
            assertEquals("late", Await.element(received, m -> true));
        } finally {
            ws.abort();
        }
    }

    @Test
    void aBodyThatStopsArrivingIsAnsweredWithTheErrorModel() throws Exception {
        start("  request_read_timeout: 300ms\n");
        try (Socket s = connect()) {
            s.getOutputStream().write(("POST /v1/developers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"email\":").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = readUntilClosed(s);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertEquals(-1011, errorBody(answer).getInteger("error_no"));
        }
    }

    @Test
    void headersOverTheLimitGetTheErrorModelWithoutBeingBuffered() throws Exception {
        start("");
        try (Socket s = connect()) {
            s.getOutputStream().write(("GET /v1/limits HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(64 * 1024)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = readUntilClosed(s);
            assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
            JsonObject body = errorBody(answer);
            assertEquals(-1009, body.getInteger("error_no"));
            assertEquals(32, body.getString("trace_id").length());
        }
    }

    @Test
    void aRequestLineOverTheLimitGetsTheErrorModel() throws Exception {
        start("");
        try (Socket s = connect()) {
            s.getOutputStream().write(("GET /v1/market/depth/" + "A".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = readUntilClosed(s);
            assertTrue(answer.matches("(?s)HTTP/1\\.[01] 414 .*"), answer); // the version was not read
            assertEquals(-1010, errorBody(answer).getInteger("error_no"));
        }
    }

    /**
     * A closed WebSocket gives its slot back. The guard counted connections down in the HTTP connection's close
     * handler, which never runs for a connection upgraded to a WebSocket: every stream kept its slot for the life
     * of the process. With a per-address cap of 2 the third stream in a row (each closed before the next) was
     * refused, and the count only grew (the fuzz that found it left 459 counted with no socket open).
     */
    @Test
    void closedWebSocketsGiveTheirConnectionSlotsBack() throws Exception {
        gw = TestGateway.start(dir, "", policy -> ctx -> ctx.request().toWebSocket().onSuccess(ws ->
                ws.writeTextMessage("hello")), ApiGateway::embeddedStores, "  max_connections_per_address: 2\n");
        String token = gw.signUpAndLogIn("ada@example.com");
        JsonObject key = gw.createKey(token, new JsonObject());
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 5; i++) {
            int before = gw.guard.openConnections(); // the key's creation may still hold a keep-alive connection
            java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
            java.net.http.WebSocket ws = openStream(client, key, received);
            assertEquals("hello", Await.element(received, m -> true), "stream " + (i + 1) + " is served");
            ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("closed 1000", Await.element(received, m -> m.startsWith("closed")));
            ws.abort(); // the TCP connection goes now (else both ends wait out the closing timeout, 10 s)
            Await.until(Duration.ofSeconds(10), () -> gw.guard.openConnections() <= before);
        }
        try (Socket plain = connect()) {
            assertEquals(200, exchange(plain).statusCode, "the address still gets in");
        }
        assertTrue(gw.guard.prometheus().contains("opentrade_gateway_connections_refused_total{reason=\"per_address\"} 0\n"),
                gw.guard.prometheus());
    }

    @Test
    void connectionsOverTheCapAreClosedAndACapSlotIsFreedWhenOneCloses() throws Exception {
        start("  max_connections: 2\n");
        Socket first = connect();
        try (Socket second = connect(); Socket third = connect()) {
            assertEquals(200, exchange(first).statusCode);
            assertEquals(200, exchange(second).statusCode);
            assertEquals("", readUntilClosed(third), "the third connection is closed at once");
        }
        first.close();
        Await.until(Duration.ofSeconds(10), () -> {
            try (Socket again = connect()) {
                return exchange(again).statusCode == 200;
            }
        });
    }

    @Test
    void oneAddressCannotTakeEveryConnectionButATrustedProxyIsNotCounted() throws Exception {
        start("  max_connections_per_address: 2\n  trusted_proxies: [\"127.0.0.3/32\"]\n");
        try (Socket first = connect("127.0.0.1"); Socket second = connect("127.0.0.1");
             Socket third = connect("127.0.0.1")) {
            assertEquals(200, exchange(first).statusCode);
            assertEquals(200, exchange(second).statusCode);
            assertEquals("", readUntilClosed(third), "the address's third connection is closed at once");
            try (Socket other = connect("127.0.0.2")) {
                assertEquals(200, exchange(other).statusCode, "another address still gets in");
            }
            try (Socket a = connect("127.0.0.3"); Socket b = connect("127.0.0.3"); Socket c = connect("127.0.0.3")) {
                assertEquals(200, exchange(a).statusCode);
                assertEquals(200, exchange(b).statusCode);
                assertEquals(200, exchange(c).statusCode, "a trusted proxy brings many clients: not capped");
            }
            String metrics = gw.guard.prometheus();
            assertTrue(metrics.contains("opentrade_gateway_connections_refused_total{reason=\"per_address\"} 1\n"), metrics);
            assertTrue(metrics.contains("opentrade_gateway_connections_refused_total{reason=\"connections\"} 0\n"), metrics);
        }
        Await.until(Duration.ofSeconds(10), () -> {
            try (Socket again = connect("127.0.0.1")) {
                return exchange(again).statusCode == 200;
            }
        });
    }

    /** A market stream on {@code key}'s secret: its text messages, and "closed <code>", go to {@code received}. */
    private java.net.http.WebSocket openStream(java.net.http.HttpClient client, JsonObject key,
                                               java.util.concurrent.BlockingQueue<String> received) throws Exception {
        return client.newWebSocketBuilder()
                .header("X-API-Key", key.getString("key_id")).header("X-API-Secret", key.getString("secret"))
                .buildAsync(java.net.URI.create("ws://127.0.0.1:" + gw.port() + "/v1/stream/market"),
                        new java.net.http.WebSocket.Listener() {
                            @Override
                            public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w,
                                                                                  CharSequence data, boolean last) {
                                received.add(data.toString());
                                w.request(1);
                                return null;
                            }

                            @Override
                            public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code,
                                                                                   String reason) {
                                received.add("closed " + code);
                                return null;
                            }
                        }).get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    private record Answer(int statusCode, String text) {
    }

    private Answer exchange(Socket s) throws IOException {
        try {
            s.getOutputStream().write("GET /v1/limits HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] head = new byte[12];
            int n = 0;
            InputStream in = s.getInputStream();
            while (n < 12) {
                int r = in.read(head, n, 12 - n);
                if (r < 0) {
                    return new Answer(0, "");
                }
                n += r;
            }
            // /v1/limits without credentials: 401, which shows the request was served
            String line = new String(head, StandardCharsets.US_ASCII);
            int status = Integer.parseInt(line.substring(9, 12));
            return new Answer(status == 401 ? 200 : status, line);
        } catch (IOException e) {
            return new Answer(0, e.toString());
        }
    }

    private Socket connect() throws IOException {
        return connect("127.0.0.1");
    }

    /** A connection from the loopback address {@code local} (any 127.x reaches the gateway on 127.0.0.1). */
    private Socket connect(String local) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(local, 0));
        s.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5_000);
        s.setSoTimeout(CLIENT_READ_TIMEOUT_MS);
        return s;
    }

    /** Everything the server sends until it closes the connection; fails if it holds it open. */
    private static String readUntilClosed(Socket s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            InputStream in = s.getInputStream();
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                out.write(buf, 0, r);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server held the connection open; got so far: " + out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // reset by the server: closed
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static JsonObject errorBody(String answer) {
        return new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }
}
