package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.domain.RateDecision;
import org.opentrade.gateway.domain.RateLimit;
import org.opentrade.gateway.port.RateLimiter;

/**
 * A stream whose credential was checked just before a revocation, and registered just after it (the
 * rate limit in between is held open by the test), is still closed: the revocation is not missed.
 */
class StreamAuthorisedDuringARevocationTest {
    @TempDir
    Path dir;
    StreamKit kit;
    TestGateway gw;

    /** When armed, the next acquire waits for {@code release}; {@code reached} tells the test it is waiting. */
    static final class GatedLimiter implements RateLimiter {
        final RateLimiter inner;
        final AtomicReference<CompletableFuture<Void>> armed = new AtomicReference<>();
        final CompletableFuture<Void> reached = new CompletableFuture<>();

        GatedLimiter(RateLimiter inner) {
            this.inner = inner;
        }

        @Override
        public CompletionStage<RateDecision> acquire(String bucket, RateLimit limit, int cost) {
            CompletableFuture<Void> gate = armed.getAndSet(null);
            if (gate == null) {
                return inner.acquire(bucket, limit, cost);
            }
            reached.complete(null);
            return gate.thenCompose(v -> inner.acquire(bucket, limit, cost));
        }

        @Override
        public CompletionStage<Void> close() {
            return inner.close();
        }
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

    @Test
    void aStreamAuthorisedJustBeforeItsKeyIsRevokedIsClosedOnceOpen() throws Exception {
        kit = new StreamKit();
        AtomicReference<GatedLimiter> limiter = new AtomicReference<>();
        gw = TestGateway.start(dir, "", kit.upstreams(), config -> {
            GatewayStores s = ApiGateway.embeddedStores(config);
            limiter.set(new GatedLimiter(s.limiter()));
            return new GatewayStores(s.registry(), limiter.get(), s.localLimiter(), s.meter(), s.replayGuard(),
                    s.closeConnection());
        });
        String token = gw.signUpAndLogIn("race@example.com");
        JsonObject key = gw.createKey(token, new JsonObject().put("scopes", new JsonArray().add("market:read")));
        CompletableFuture<Void> release = new CompletableFuture<>();
        limiter.get().armed.set(release);

        CompletableFuture<StreamKit.Stream> opening = CompletableFuture.supplyAsync(() -> {
            try {
                return kit.open(gw.port(), "/v1/stream/market", "X-API-Key", key.getString("key_id"),
                        "X-API-Secret", key.getString("secret"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        limiter.get().reached.get(StreamKit.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(200, gw.send(gw.request("/v1/keys/" + key.getString("key_id"))
                .header("Authorization", "Bearer " + token).DELETE()).statusCode());
        release.complete(null);

        StreamKit.Stream s = opening.get(StreamKit.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals((short) 1008, s.closeCode(), s.awaitClose());
        assertEquals(-2004, s.closeReason().getInteger("error_no"));
    }
}
