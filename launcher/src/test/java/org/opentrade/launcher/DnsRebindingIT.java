package org.opentrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrade.launcher.contract.AllInOneFixture;

/**
 * DNS rebinding against the all-in-one on 127.0.0.1 ({@code ./start.sh}): a page on evil.example re-binds its
 * name to 127.0.0.1 and its visitor's browser sends {@code Host: evil.example:<port>}. The operations
 * endpoints, the portal, the contract and the API all answer it 421 -1013; a Host naming loopback is served. The
 * check follows the all-in-one's own {@code http.host}, not {@code gateway.host} (which only the standalone
 * gateway listens on): here the latter says 0.0.0.0, which alone would turn the check off.
 */
class DnsRebindingIT {
    @Test
    void aPageThatRebindsItsNameToLoopbackReadsNothingFromTheAllInOne() throws Exception {
        try (AllInOneFixture aio = AllInOneFixture.start(Map.of("OPENTRADE_GATEWAY_HOST", "0.0.0.0"))) {
            int port = aio.port();
            for (String path : List.of("/metrics", "/health", "/ready", "/", "/openapi/opentrade.yaml",
                    "/v1/market/instruments")) {
                String answer = exchange(port, "GET " + path + " HTTP/1.1\r\nHost: evil.example:" + port
                        + "\r\nConnection: close\r\n\r\n");
                assertTrue(answer.startsWith("HTTP/1.1 421 "), path + ": " + answer);
                assertEquals(-1013, new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getInteger("error_no"));
                assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nx-trace-id: "), answer);
            }
            String upgrade = exchange(port, "GET /v1/stream/orders HTTP/1.1\r\nHost: evil.example:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n");
            assertTrue(upgrade.startsWith("HTTP/1.1 421 "), upgrade);
            for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port)) {
                String answer = exchange(port, "GET /metrics HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
                assertTrue(answer.startsWith("HTTP/1.1 200 "), host + ": " + answer);
                assertFalse(answer.contains("-1013"), answer);
            }
        }
    }

    /** {@code request} on a new connection; the answer until the server closes it (or a head without a body). */
    private static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                out.write(buf, 0, r);
                String sofar = out.toString(StandardCharsets.UTF_8);
                int head = sofar.indexOf("\r\n\r\n");
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)")
                        .matcher(head < 0 ? "" : sofar.substring(0, head));
                if (head >= 0 && length.find() && out.size() >= head + 4 + Integer.parseInt(length.group(1))) {
                    break;
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
