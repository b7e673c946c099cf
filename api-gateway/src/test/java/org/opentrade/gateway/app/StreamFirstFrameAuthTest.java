package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.testkit.RawWebSocket;

/**
 * A browser cannot set headers on an upgrade: it authenticates a stream with a first frame
 * {@code {"op":"auth",...}}. Real gateway, fake upstream WebSocket service.
 */
class StreamFirstFrameAuthTest {
    @TempDir
    Path dir;
    StreamKit kit;
    TestGateway gw;
    String token;
    JsonObject key;

    @BeforeEach
    void start() throws Exception {
        kit = new StreamKit();
        gw = TestGateway.start(dir, "", kit.upstreams(), ApiGateway::embeddedStores);
        token = gw.signUpAndLogIn("browser@example.com");
        key = gw.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read")));
    }

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (kit != null) {
            kit.close();
        }
    }

    private StreamKit.Stream openWithoutCredentials() throws Exception {
        return kit.open(gw.port(), "/v1/stream/market");
    }

    private static void assertRefused(StreamKit.Stream s, int errorNo) throws Exception {
        JsonObject frame = new JsonObject(s.nextMessage());
        assertEquals("error", frame.getString("type"), frame.encode());
        assertEquals(errorNo, frame.getInteger("error_no"), frame.encode());
        assertTrue(frame.getString("trace_id").matches("[0-9a-f]{32}"), frame.encode());
        assertTrue(frame.getString("error").length() > 0);
        assertEquals((short) 1008, s.closeCode(), s.awaitClose());
    }

    @Test
    void aSecretKeyAuthFrameOpensTheStreamAndOnlyLaterFramesReachTheUpstream() throws Exception {
        StreamKit.Stream s = openWithoutCredentials();
        kit.send(s, new JsonObject().put("op", "auth").put("api_key", key.getString("key_id"))
                .put("api_secret", key.getString("secret")).encode());
        assertEquals("hello", s.nextMessage());
        kit.send(s, "{\"op\":\"ping\"}");
        assertEquals("{\"op\":\"ping\"}", s.nextMessage());
        assertEquals("{\"op\":\"ping\"}", kit.upstreamReceived.poll());
    }

    @Test
    void aPingBeforeTheAuthFrameIsNotTakenForIt() throws Exception {
        // Control frames may come at any time (RFC 6455 5.5): a ping first was refused -2001.
        StreamKit.Stream s = openWithoutCredentials();
        kit.ping(s);
        kit.send(s, new JsonObject().put("op", "auth").put("token", token).encode());
        assertEquals("hello", s.nextMessage());
    }

    @Test
    void aSessionTokenAuthFrameOpensTheStream() throws Exception {
        StreamKit.Stream s = openWithoutCredentials();
        kit.send(s, new JsonObject().put("op", "auth").put("token", token).encode());
        assertEquals("hello", s.nextMessage());
    }

    @Test
    void anEd25519AuthFrameSigningTheUpgradeRequestOpensTheStreamOnce() throws Exception {
        java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        JsonObject ed = gw.createKey(token, new JsonObject().put("type", "ed25519").put("scopes",
                new JsonArray().add("market:read")).put("public_key",
                java.util.Base64.getEncoder().encodeToString(pair.getPublic().getEncoded())));
        long ts = System.currentTimeMillis();
        java.security.Signature signer = java.security.Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(org.opentrade.gateway.domain.Ed25519Signatures.stringToSign(Long.toString(ts), "GET",
                "/v1/stream/market", null).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String auth = new JsonObject().put("op", "auth").put("api_key", ed.getString("key_id")).put("timestamp", ts)
                .put("signature", java.util.Base64.getEncoder().encodeToString(signer.sign())).encode();

        StreamKit.Stream s = openWithoutCredentials();
        kit.send(s, auth);
        assertEquals("hello", s.nextMessage());

        StreamKit.Stream replayed = openWithoutCredentials();
        kit.send(replayed, auth);
        assertRefused(replayed, -2010);
    }

    @Test
    void anythingButAnAuthFrameFirstIsRefusedAndNeverForwarded() throws Exception {
        StreamKit.Stream s = openWithoutCredentials();
        kit.send(s, "{\"op\":\"subscribe\",\"channels\":[\"trades:600000.SH\"]}");
        assertRefused(s, -2001);
        assertEquals(0, kit.upstreamConnections.get());
    }

    /**
     * A credential no header may carry (a control character, a line break, a space, non-ASCII) is refused like any
     * frame that is not an auth frame. It was copied into a header as it came: Vert.x's header check threw inside
     * the frame handler, which logged an unhandled exception with its stack trace (anyone could, before any key)
     * and left the caller's socket paused and unanswered until the idle timeout (found by a WebSocket fuzz).
     */
    @Test
    void anAuthFrameWithACredentialNoHeaderMayCarryIsRefused() throws Exception {
        String keyId = key.getString("key_id");
        String secret = key.getString("secret");
        JsonObject[] frames = {
            new JsonObject().put("op", "auth").put("api_key", "\u0000").put("api_secret", secret),
            new JsonObject().put("op", "auth").put("api_key", keyId).put("api_secret", secret + "\r\nX-Admin-Token: x"),
            new JsonObject().put("op", "auth").put("token", "\u0000"),
            new JsonObject().put("op", "auth").put("api_key", keyId).put("timestamp", "1\u0000").put("signature", "x"),
            new JsonObject().put("op", "auth").put("api_key", "otk_é").put("api_secret", secret),
        };
        for (JsonObject frame : frames) {
            StreamKit.Stream s = openWithoutCredentials();
            kit.send(s, frame.encode());
            assertRefused(s, -2001);
        }
        assertEquals(0, kit.upstreamConnections.get());
    }

    @Test
    void anAuthFrameNamingACredentialTwiceIsRefusedEvenWhenOneIsRight() throws Exception {
        String keyId = key.getString("key_id");
        String secret = key.getString("secret");
        String[] frames = {
            "{\"op\":\"auth\",\"api_key\":\"" + keyId + "\",\"api_secret\":\"ots_wrong\",\"api_secret\":\"" + secret + "\"}",
            "{\"op\":\"auth\",\"api_key\":\"" + keyId + "\",\"api_secret\":\"" + secret + "\",\"api_secret\":\"ots_wrong\"}",
        };
        for (String frame : frames) {
            StreamKit.Stream s = openWithoutCredentials();
            kit.send(s, frame);
            assertRefused(s, -2001);
        }
        assertEquals(0, kit.upstreamConnections.get());
    }

    @Test
    void aWrongSecretInTheAuthFrameIsRefused() throws Exception {
        StreamKit.Stream s = openWithoutCredentials();
        kit.send(s, new JsonObject().put("op", "auth").put("api_key", key.getString("key_id"))
                .put("api_secret", "ots_wrong").encode());
        assertRefused(s, -2003);
        assertEquals(0, kit.upstreamConnections.get());
    }

    @Test
    void aKeyWithoutTheStreamsScopeIsRefusedAsWithHeaders() throws Exception {
        JsonObject tradeOnly = gw.createKey(token, new JsonObject().put("scopes", new JsonArray().add("trade")));
        StreamKit.Stream s = openWithoutCredentials();
        kit.send(s, new JsonObject().put("op", "auth").put("api_key", tradeOnly.getString("key_id"))
                .put("api_secret", tradeOnly.getString("secret")).encode());
        assertRefused(s, -2006);
    }

    @Test
    void anOversizedAuthFrameIsRefused() throws Exception {
        StreamKit.Stream s = openWithoutCredentials();
        kit.send(s, new JsonObject().put("op", "auth").put("token", "x".repeat(20_000)).encode());
        assertRefused(s, -1003);
    }

    @Test
    void noAuthFrameWithinTheTimeoutIsRefused() throws Exception {
        StreamKit.Stream s = openWithoutCredentials();
        assertRefused(s, -2001);
        assertEquals(0, kit.upstreamConnections.get());
    }

    /**
     * Before its auth frame a caller is upgraded and its pings are read: Vert.x answers each past the write
     * queue, so an unauthenticated caller that pinged and read nothing made the gateway queue pongs until the
     * auth timeout (and on, until the close). A ping that finds the write queue full closes it 1008 (-3001) and
     * its reads stop: the pinger's writes block long before all its pings are through. (The close frame waits
     * behind the pongs the caller never reads; the closing timeout then drops the connection.)
     */
    @Test
    void aCallerThatPingsWithoutReadingBeforeItsAuthFrameIsClosed() throws Exception {
        int batches = 200; // 200 000 pings of 125 bytes: about 26 MB of pongs, far more than the socket buffers hold
        byte[] batch = RawWebSocket.pings(1_000);
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.setReceiveBufferSize(4096); // a caller that reads nothing: its window closes soon
            socket.setSendBufferSize(65_536); // what the gateway leaves unread is counted, not held in a large buffer here
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", gw.port()));
            socket.setSoTimeout((int) StreamKit.WAIT.toMillis());
            RawWebSocket.upgrade(socket);
            java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
            Thread writer = RawWebSocket.pinger(socket.getOutputStream(), batch, batches, written);
            // Until the pinger has written nothing for 2 s (the gateway stopped reading): a gateway that kept
            // reading lets it through all its batches within the wait, and fails the assertion as before.
            RawWebSocket.awaitStalled(writer, written, java.time.Duration.ofSeconds(2), StreamKit.WAIT);
            assertTrue(written.get() < batches / 2, written.get() + " batches of 1 000 pings read by the gateway");
        }
    }
}
