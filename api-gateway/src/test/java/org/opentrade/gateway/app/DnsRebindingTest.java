package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS rebinding against a gateway on loopback (the production wiring, operations endpoints included, as the
 * all-in-one serves them): a page on evil.example re-binds its name to 127.0.0.1, and its visitor's browser sends
 * {@code Host: evil.example:<port>} to this machine. Such requests get 421 -1013 with {@code X-Trace-Id}, whatever
 * they ask for; a Host naming loopback, or listed in {@code gateway.allowed_hosts}, is served. Raw sockets, since
 * the JDK's client does not let a caller choose the Host header.
 */
class DnsRebindingTest {
    @TempDir
    Path dir;
    TestGateway gw;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void aRebindingPageReadsNothingFromALoopbackGateway() throws Exception {
        gw = TestGateway.startServer(dir, "");
        String evil = "evil.example:" + gw.port();
        for (String path : List.of("/metrics", "/health", "/ready", "/v1/market/instruments", "/v1/limits",
                "/no-such-page")) {
            assertMisdirected(get(path, evil), path);
        }
        assertMisdirected(get("/metrics", "EVIL.example"), "no port");
        assertMisdirected(get("/metrics", "localhost.evil.example:" + gw.port()), "a name that only starts with localhost");
        assertMisdirected(get("/metrics", "127.0.0.1.nip.io:" + gw.port()), "a name that only starts with 127.0.0.1");
        assertMisdirected(exchange("GET /v1/stream/market HTTP/1.1\r\nHost: " + evil + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: http://" + evil + "\r\n\r\n"), "a WebSocket upgrade");
    }

    @Test
    void hostsNamingLoopbackAreServed() throws Exception {
        gw = TestGateway.startServer(dir, "");
        int port = gw.port();
        for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LocalHost:" + port,
                "localhost", "portal.localhost:" + port, "127.0.0.1")) {
            Answer health = get("/health", host);
            assertEquals(200, health.status, host + ": " + health.raw);
        }
        Answer metrics = get("/metrics", "127.0.0.1:" + port);
        assertEquals(200, metrics.status, metrics.raw);
        assertTrue(metrics.body.contains("opentrade_gateway_connections"), metrics.raw);
        Answer upgrade = exchange("GET /v1/stream/market HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertNotEquals(421, upgrade.status, upgrade.raw);
        Answer noHost = exchange("GET /health HTTP/1.0\r\n\r\n");
        assertEquals(200, noHost.status, "HTTP/1.0 without Host: " + noHost.raw);
    }

    @Test
    void allowedHostsAreServedBesideLoopback() throws Exception {
        gw = TestGateway.startServer(Vertx.vertx(), dir, "", null, "  allowed_hosts: [api.example.com, \"192.0.2.10\"]\n");
        assertEquals(200, get("/health", "API.Example.com:443").status);
        assertEquals(200, get("/health", "192.0.2.10").status);
        assertEquals(200, get("/health", "localhost:" + gw.port()).status);
        assertMisdirected(get("/health", "evil.example:" + gw.port()), "not listed");
        assertMisdirected(get("/health", "www.api.example.com"), "a sub-domain of a listed name");
    }

    private static void assertMisdirected(Answer a, String what) {
        assertEquals(421, a.status, what + ": " + a.raw);
        JsonObject body = new JsonObject(a.body);
        assertEquals(-1013, body.getInteger("error_no"), what);
        String trace = a.header("X-Trace-Id");
        assertTrue(trace != null && trace.matches("[0-9a-f]{32}"), what + ": " + a.raw);
        assertEquals(trace, body.getString("trace_id"), what);
        assertTrue(!a.body.contains("opentrade_") && !a.body.contains("\"UP\""), what + " leaks nothing: " + a.body);
    }

    private Answer get(String path, String host) throws IOException {
        return exchange("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    /** Sends {@code request} on a new connection; the answer's head and (Content-Length) body. */
    private Answer exchange(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (true) {
                String sofar = out.toString(StandardCharsets.UTF_8);
                int headEnd = sofar.indexOf("\r\n\r\n");
                if (headEnd >= 0) {
                    Answer a = new Answer(sofar);
                    String length = a.header("Content-Length");
                    if (a.status == 101 || (length != null
                            && out.size() >= headEnd + 4 + Integer.parseInt(length.strip()))) {
                        return a;
                    }
                }
                int r = in.read(buf);
                if (r < 0) {
                    return new Answer(out.toString(StandardCharsets.UTF_8));
                }
                out.write(buf, 0, r);
            }
        }
    }

    private static final class Answer {
        final String raw;
        final int status;
        final String head;
        final String body;

        Answer(String raw) {
            this.raw = raw;
            int end = raw.indexOf("\r\n\r\n");
            this.head = end < 0 ? raw : raw.substring(0, end);
            this.body = end < 0 ? "" : raw.substring(end + 4);
            this.status = raw.startsWith("HTTP/1.") && raw.length() >= 12 ? Integer.parseInt(raw.substring(9, 12)) : -1;
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT)
                        .equals(name.toLowerCase(Locale.ROOT))) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }
}
