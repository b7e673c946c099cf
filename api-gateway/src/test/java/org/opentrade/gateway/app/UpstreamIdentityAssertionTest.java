package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.identity.AssertionSigner;
import org.opentrade.common.identity.AssertionVerifier;
import org.opentrade.common.identity.CallerIdentity;
import org.opentrade.common.identity.GatewayKeys;
import org.opentrade.common.identity.IdentityAssertions;
import org.opentrade.common.identity.Verification;

/**
 * The production gateway ({@link GatewayServer}) in front of a stand-in upstream that records what
 * it receives: every proxied request and WebSocket upgrade carries exactly one identity assertion,
 * the gateway's, which verifies with {@link GatewayServer#identityPublicKey()} for that upstream only.
 */
class UpstreamIdentityAssertionTest {
    private static final long WAIT_MS = 15_000;

    @TempDir
    Path dir;
    private final Vertx upstreamVertx = Vertx.vertx();
    /** Headers of each request or upgrade the upstream received (health checks left out). */
    private final LinkedBlockingQueue<MultiMap> received = new LinkedBlockingQueue<>();
    private TestGateway gw;
    private io.vertx.core.http.WebSocketClient webSocketClient;
    private AssertionVerifier verifier;
    private JsonObject key;
    private String developerId;

    @BeforeEach
    void start() throws Exception {
        HttpServer upstream = upstreamVertx.createHttpServer()
                .webSocketHandler(ws -> {
                    received.add(MultiMap.caseInsensitiveMultiMap().addAll(ws.headers()));
                    ws.writeTextMessage("hello");
                })
                .requestHandler(r -> {
                    if (r.method() == io.vertx.core.http.HttpMethod.HEAD) {
                        r.response().setStatusCode(405).end(); // as market-api and trade-api, which route GETs only
                        return;
                    }
                    if (!r.path().equals("/health")) {
                        received.add(MultiMap.caseInsensitiveMultiMap().addAll(r.headers()));
                    }
                    r.response().putHeader("Content-Type", "application/json").end("{}");
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String target = "127.0.0.1:" + upstream.actualPort();
        gw = TestGateway.startServer(dir, "upstreams:\n"
                + "  market-api:\n    targets: " + target + "\n    health_interval: 10m\n"
                + "  trade-api:\n    targets: " + target + "\n    health_interval: 10m\n");
        verifier = new AssertionVerifier(List.of(gw.full.identityPublicKey()), IdentityAssertions.DEFAULT_CLOCK_SKEW);
        String session = gw.signUpAndLogIn("asserted@example.com");
        developerId = new JsonObject(gw.get("/v1/developers/me", "Authorization", "Bearer " + session).body())
                .getString("developer_id");
        key = gw.createKey(session, new JsonObject().put("scopes", new JsonArray().add("market:read").add("trade")));
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
        upstreamVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private MultiMap nextReceived() throws InterruptedException {
        MultiMap h = received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertNotNull(h, "the upstream received nothing");
        return h;
    }

    /** The one assertion in {@code headers}, verified for {@code audience} now. */
    private CallerIdentity assertedIdentity(MultiMap headers, String audience) {
        List<String> all = headers.getAll(IdentityAssertions.HEADER);
        assertEquals(1, all.size(), "exactly one assertion: " + all);
        Verification v = verifier.verify(all.get(0), audience, System.currentTimeMillis());
        assertTrue(v.valid(), "verifies for " + audience + ": " + v.failure());
        return v.identity();
    }

    private String[] keyHeaders(String... more) {
        String[] base = {"X-API-Key", key.getString("key_id"), "X-API-Secret", key.getString("secret")};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void marketCallCarriesTheCallersIdentitySignedForMarketApiOnly() throws Exception {
        HttpResponse<String> r = gw.get("/v1/market/quotes?symbols=600000.SH", keyHeaders());
        assertEquals(200, r.statusCode(), r.body());
        MultiMap h = nextReceived();
        CallerIdentity id = assertedIdentity(h, "market-api");
        assertEquals(developerId, id.developerId());
        assertEquals(developerId, h.get(Upstreams.DEVELOPER_HEADER), "the log headers say the same");
        assertEquals(key.getString("key_id"), id.keyId());
        assertEquals(Set.of("market:read", "trade"), id.scopes());
        assertEquals("free", id.plan());
        assertNull(id.traceId(), "reused assertions carry no trace id; traceparent does");
        assertTrue(h.get("traceparent").contains(r.headers().firstValue("X-Trace-Id").orElseThrow()));
        assertEquals(Verification.Failure.WRONG_AUDIENCE, verifier.verify(h.get(IdentityAssertions.HEADER),
                "trade-api", System.currentTimeMillis()).failure());
    }

    @Test
    void tradeCallIsSignedForTradeApiAndASessionHasNoKey() throws Exception {
        String session = gw.signUpAndLogIn("session-caller@example.com");
        assertEquals(200, gw.get("/v1/account", "Authorization", "Bearer " + session).statusCode());
        CallerIdentity id = assertedIdentity(nextReceived(), "trade-api");
        assertNull(id.keyId());
        assertTrue(id.isSession());
        assertEquals(Set.of("market:read", "trade", "fix"), id.scopes());
    }

    @Test
    void anAssertionSentByTheClientIsReplacedByTheGatewaysOwn() throws Exception {
        // A well-formed assertion for someone else, signed with a key the services do not trust, and
        // one signed with the gateway's own scheme for the wrong audience: neither gets through.
        String forged = new AssertionSigner(GatewayKeys.generate()).sign(new CallerIdentity("dev_victim", null,
                Set.of("trade"), "partner", null, System.currentTimeMillis(), System.currentTimeMillis() + 30_000),
                "trade-api");
        assertEquals(200, gw.get("/v1/orders", keyHeaders(IdentityAssertions.HEADER, forged,
                "x-opentrade-assertion", "ota1.second.copy")).statusCode());
        MultiMap h = nextReceived();
        assertNotEquals(forged, h.get(IdentityAssertions.HEADER));
        CallerIdentity id = assertedIdentity(h, "trade-api");
        assertEquals(key.getString("key_id"), id.keyId());
        assertEquals(developerId, id.developerId());
    }

    @Test
    void aHeadIsAskedUpstreamAsItsGetAndAnsweredWithoutItsBody() throws Exception {
        java.net.http.HttpRequest.Builder head = gw.request("/v1/market/quotes?symbols=600000.SH")
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody());
        String[] auth = keyHeaders();
        for (int i = 0; i < auth.length; i += 2) {
            head.header(auth[i], auth[i + 1]);
        }
        HttpResponse<String> r = gw.send(head);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("", r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
        assertEquals("2", r.headers().firstValue("Content-Length").orElse(null), "the GET's length: " + r.headers().map());
        assertedIdentity(nextReceived(), "market-api"); // as a GET, with the caller's identity
        HttpResponse<String> health = gw.send(gw.request("/health").method("HEAD",
                java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, health.statusCode(), "monitors check with HEAD too");
    }

    @Test
    void webSocketUpgradeCarriesAnAssertion() throws Exception {
        LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-API-Key", key.getString("key_id"))
                .add("X-API-Secret", key.getString("secret")).add(IdentityAssertions.HEADER, "ota1.forged.x");
        // Held in a field: Vert.x closes a client that becomes unreachable (its cleaner), and a GC during the
        // handshake then closed the connection under it ("Connection closed while handshake in process").
        webSocketClient = upstreamVertx.createWebSocketClient();
        upstreamVertx.getOrCreateContext().runOnContext(v -> webSocketClient
                .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gw.port())
                        .setURI("/v1/stream/market").setHeaders(headers))
                .onSuccess(ws -> ws.textMessageHandler(messages::add))
                .onFailure(e -> messages.add("failed: " + e)));
        assertEquals("hello", messages.poll(WAIT_MS, TimeUnit.MILLISECONDS));
        CallerIdentity id = assertedIdentity(nextReceived(), "market-api");
        assertEquals(developerId, id.developerId());
        assertEquals(key.getString("key_id"), id.keyId());
    }

    @Test
    void theKeyFileIsCreatedPrivateWithItsPublicKeyBesideIt() throws Exception {
        Path keyFile = dir.resolve("data/identity-ed25519.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        Path pub = dir.resolve("data/identity-ed25519.pub.pem");
        assertEquals(pub, GatewayServer.publicKeyFile(keyFile));
        assertArrayEquals(gw.full.identityPublicKey().getEncoded(), GatewayKeys.loadPublicKey(pub).getEncoded());
        assertArrayEquals(gw.full.identityPublicKey().getEncoded(), GatewayKeys.loadOrCreate(keyFile).getPublic().getEncoded());
    }
}
