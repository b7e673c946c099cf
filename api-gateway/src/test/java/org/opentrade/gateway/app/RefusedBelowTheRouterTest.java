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
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests the HTTP decoder (or the body reader) refuses before any route runs still get the error
 * model, with {@code X-Trace-Id} naming the body's {@code trace_id}. Raw sockets, since an HTTP client
 * would not send these.
 */
class RefusedBelowTheRouterTest {
    @TempDir
    Path dir;
    TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.start(dir, "");
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    @Test
    void aUriOf64KibGets414WithTheErrorModelAndATraceHeader() throws Exception {
        assertRefused("GET /v1/market/quotes?symbols=" + "A".repeat(64 * 1024) + " HTTP/1.1\r\nHost: localhost\r\n\r\n",
                414, -1010);
    }

    @Test
    void anOverLongHeaderGets431WithTheErrorModelAndATraceHeader() throws Exception {
        assertRefused("GET /v1/limits HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n", 431, -1009);
    }

    @Test
    void aMalformedRequestLineGets400WithTheErrorModelAndATraceHeader() throws Exception {
        assertRefused("GET\r\nHost: localhost\r\n\r\n", 400, -1001);
    }

    @Test
    void aBadHeaderLineGets400WithTheErrorModelAndATraceHeader() throws Exception {
        assertRefused("GET /v1/limits HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\n\r\n", 400, -1001);
    }

    @Test
    void aBadHeaderNameGets400WithTheErrorModelAndATraceHeader() throws Exception {
        assertRefused("GET /v1/limits HTTP/1.1\r\nHost: localhost\r\nBad Name: y\r\n\r\n", 400, -1001);
    }

    /** It was told "the request body is not valid JSON" (a GET has none). */
    /** Vert.x answered these 501 with no body and no trace header. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"HTTP/3.7", "HTTP/2.0", "HTTP/0.9", "HTTP/9.9"})
    void anUnsupportedHttpVersionGets505WithTheErrorModelAndATraceHeader(String version) throws Exception {
        assertRefused("GET /v1/limits " + version + "\r\nHost: localhost\r\n\r\n", 505, -1012);
    }

    /** A later minor version of HTTP/1 is served as HTTP/1.1 (RFC 9112 2.6). */
    @Test
    void aLaterHttp1MinorVersionIsServedAsHttp11() throws Exception {
        String answer = assertRefused("GET /v1/limits HTTP/1.2\r\nHost: localhost\r\nConnection: close\r\n\r\n", 401, -2001);
        assertTrue(answer.startsWith("HTTP/1.1 401 "), answer);
    }

    @Test
    void anHttp11RequestWithoutHostIsToldWhatIsMissing() throws Exception {
        String answer = assertRefused("GET /v1/limits HTTP/1.1\r\nConnection: close\r\n\r\n", 400, -1001);
        assertTrue(answer.contains("\"the request has no Host header, which HTTP/1.1 requires\""), answer);
    }

    @Test
    void badChunkedEncodingGets400WithTheErrorModelAndATraceHeader() throws Exception {
        assertRefused("POST /v1/developers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, -1001);
    }

    @Test
    void aRequestWithBothLengthsIsRefusedAndItsConnectionClosedSoNothingCanBeSmuggledBehindIt() throws Exception {
        // A front proxy that reads Content-Length would pass all of this as one request; read as chunked, a
        // second request ("smuggled") follows the first on the same connection. RFC 9112 §6.1: close after it.
        String answer = assertRefused("POST /v1/developers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 41\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + "GET /v1/limits HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, -1001);
        assertTrue(answer.contains("both Content-Length and Transfer-Encoding"), answer);
        assertEquals(1, statusLines(answer), "one answer only, the smuggled request unread: " + answer);
    }

    @Test
    void anHttp10RequestWithATransferEncodingIsRefusedAndItsConnectionClosed() throws Exception {
        // Netty reads it as chunked; a 1.0 front proxy frames it by its Content-Length.
        String answer = assertRefused("POST /v1/developers HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n"
                + "Content-Type: application/json\r\nContent-Length: 41\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + "GET /v1/limits HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, -1001);
        assertEquals(1, statusLines(answer), "one answer only: " + answer);
    }

    @Test
    void aTransferEncodingNotEndingWithChunkedIsRefusedAndItsConnectionClosed() throws Exception {
        String answer = assertRefused("POST /v1/developers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\nTransfer-Encoding: identity\r\n\r\n{}"
                + "GET /v1/limits HTTP/1.1\r\nHost: localhost\r\n\r\n", 400, -1001);
        assertEquals(1, statusLines(answer), "one answer only: " + answer);
        assertRefused("POST /v1/developers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400, -1001);
    }

    /**
     * The request behind one refused for its framing is never run, not only never answered: it is what a front
     * proxy reading the other length took for the refused request's body (review: a smuggled sign-up ran, though
     * its answer was dropped with the connection).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "POST /v1/developers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n",
        "POST /v1/developers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        "POST /v1/developers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
        "POST /v1/developers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: identity\r\n\r\n{}",
        "POST /v1/developers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /v1/developers HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    })
    void theRequestBehindARefusedFramingIsNeverRun(String first) throws Exception {
        String email = "smuggled" + Math.abs(first.hashCode()) + "@example.com";
        String body = new JsonObject().put("email", email).put("password", "correct horse battery").put("name", "S").encode();
        String second = "POST /v1/developers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
        String answer;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5_000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write((first + second).getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            answer = readUntilClosed(s);
        }
        assertTrue(answer.startsWith("HTTP/1.") && answer.contains(" 400 "), answer);
        Thread.sleep(1_000); // a smuggled sign-up's password hash takes ~70 ms: it would be done by now
        java.net.http.HttpResponse<String> again = gw.post("/v1/developers", body);
        assertEquals(201, again.statusCode(), "the smuggled sign-up ran: " + again.body());
    }

    @Test
    void chunkedAloneIsStillServed() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5_000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("POST /v1/developers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = readUntilClosed(s);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("\"error_no\":-1002"), "read and validated as a body, not refused as framing: " + answer);
        }
    }

    private String assertRefused(String request, int status, int errorNo) throws IOException {
        String answer;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", gw.port()), 5_000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            answer = readUntilClosed(s);
        }
        assertTrue(answer.matches("(?s)HTTP/1\\.[01] " + status + " .*"), answer);
        int split = answer.indexOf("\r\n\r\n");
        assertTrue(split > 0, answer);
        String head = answer.substring(0, split).toLowerCase(Locale.ROOT);
        JsonObject body = new JsonObject(answer.substring(split + 4));
        assertEquals(errorNo, body.getInteger("error_no"), answer);
        assertTrue(body.getString("error").length() > 0, answer);
        String traceId = body.getString("trace_id");
        assertEquals(32, traceId.length(), answer);
        assertTrue(head.contains("\r\nx-trace-id: " + traceId + "\r\n") || head.endsWith("\r\nx-trace-id: " + traceId),
                "X-Trace-Id names the body's trace id: " + answer);
        return answer;
    }

    /** How many answers {@code raw} holds: status lines at the start or after a line break. */
    private static long statusLines(String raw) {
        return java.util.regex.Pattern.compile("(?:^|\r\n)HTTP/1\\.[01] \\d{3} ").matcher(raw).results().count();
    }

    /** Everything until the server closes (or resets) the connection. */
    private static String readUntilClosed(Socket s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            InputStream in = s.getInputStream();
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                out.write(buf, 0, r);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server held the connection open; got so far: " + out);
        } catch (IOException e) {
            // reset by the server: closed
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
