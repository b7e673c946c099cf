package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.adapter.embedded.InMemoryReplayGuard;
import org.opentrade.gateway.port.ReplayGuard;

/** How long a gateway keeps a signed request spent, seen through the replay guard it asks. */
class SignedRequestReplayTest {
    static final long WINDOW = 30_000;
    static final long SKEW = 7_000;

    @TempDir
    Path dir;
    TestGateway gw;
    final AtomicLong rememberedFor = new AtomicLong(-1);

    @BeforeEach
    void start() throws Exception {
        ReplayGuard recording = new ReplayGuard() {
            final InMemoryReplayGuard inner = new InMemoryReplayGuard();

            @Override
            public CompletionStage<Boolean> firstUse(String signature, long ttlMillis) {
                rememberedFor.set(ttlMillis);
                return inner.firstUse(signature, ttlMillis);
            }

            @Override
            public CompletionStage<Boolean> recorded(String id) {
                return inner.recorded(id);
            }

            @Override
            public CompletionStage<Void> close() {
                return inner.close();
            }
        };
        gw = TestGateway.start(dir, "auth:\n  signature_window: 30s\n  signature_clock_skew: 7s\n", null, config -> {
            GatewayStores s = ApiGateway.embeddedStores(config);
            return new GatewayStores(s.registry(), s.limiter(), s.localLimiter(), s.meter(), recording, null);
        });
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    @Test
    void aSignedRequestStaysSpentUntilItsTimestampHasLeftTheWindowOfEveryGateway() throws Exception {
        String token = gw.signUpAndLogIn("clock@example.com");
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String id = gw.createKey(token, new JsonObject().put("type", "ed25519").put("scopes", new JsonArray().add("trade"))
                .put("public_key", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()))).getString("key_id");
        // Stamped near the front of the window: a gateway whose clock is SKEW behind accepts it until
        // timestamp + WINDOW + SKEW by this clock, later than "first seen + 2 x WINDOW".
        long before = System.currentTimeMillis();
        long ts = before + WINDOW - 1_000;
        String body = "{\"symbol\":\"600000.SH\",\"side\":\"BUY\",\"qty\":100}";
        assertEquals(200, gw.post("/v1/orders", body, "X-API-Key", id, "X-Timestamp", Long.toString(ts),
                "X-Signature", sign(pair, ts, "POST", "/v1/orders", body)).statusCode());
        long after = System.currentTimeMillis();

        long until = ts + WINDOW + SKEW;
        assertTrue(rememberedFor.get() >= until - after && rememberedFor.get() <= until - before,
                "remembered for " + rememberedFor.get() + " ms; must last until timestamp + window + skew, "
                        + (until - after) + ".." + (until - before) + " ms from now");
    }

    private static String sign(KeyPair pair, long ts, String method, String path, String body) throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update((ts + "\n" + method + "\n" + path + "\n" + hash).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }
}
