package org.opentrade.gateway.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.opentrade.gateway.port.KeyRegistry;
import org.opentrade.gateway.port.RateLimiter;
import org.opentrade.gateway.port.ReplayGuard;
import org.opentrade.gateway.port.UsageMeter;

/**
 * The four stores the gateway needs, from one technology. {@code localLimiter} is the in-process
 * limiter the failure policy falls back to; for the embedded stores it is {@code limiter} itself.
 */
public record GatewayStores(KeyRegistry registry, RateLimiter limiter, RateLimiter localLimiter, UsageMeter meter,
                            ReplayGuard replayGuard,
                            Supplier<CompletionStage<Void>> closeConnection) {

    /** Closes the adapters, then the connection they borrow. Never blocks. */
    public CompletionStage<Void> close() {
        CompletableFuture<Void> all = CompletableFuture.allOf(
                meter.close().toCompletableFuture().exceptionally(e -> null),
                registry.close().toCompletableFuture().exceptionally(e -> null),
                limiter.close().toCompletableFuture().exceptionally(e -> null),
                replayGuard.close().toCompletableFuture().exceptionally(e -> null));
        return closeConnection == null ? all
                : all.thenCompose(v -> closeConnection.get()).exceptionally(e -> null);
    }
}
