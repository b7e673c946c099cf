package org.opentrade.trade.adapter.eventbus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.opentrade.trade.port.KeyAuthenticator;

/**
 * {@link KeyAuthenticator} over the event bus: request {@code {key_id, secret, scope}} to
 * {@value #ADDRESS} (the gateway's consumer), reply {@code {ok:true, developer_id, key_id}} or
 * {@code {ok:false, reason}}. No reply within the timeout fails the stage with a
 * {@link TimeoutException}. Callable from any thread; never blocks.
 */
public final class EventBusKeyAuthenticator implements KeyAuthenticator {
    /** The gateway's key-check address (a contract between the two services). */
    public static final String ADDRESS = "opentrade.gateway.keys.authenticate";

    private final Vertx vertx;
    private final DeliveryOptions options;

    public EventBusKeyAuthenticator(Vertx vertx, long timeoutMs) {
        this.vertx = vertx;
        this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
    }

    @Override
    public CompletionStage<Result> authenticate(String keyId, String secret, String scope) {
        CompletableFuture<Result> f = new CompletableFuture<>();
        JsonObject req = new JsonObject().put("key_id", keyId).put("secret", secret).put("scope", scope);
        vertx.eventBus().request(ADDRESS, req, options).onComplete(ar -> {
            if (ar.failed()) {
                f.completeExceptionally(new TimeoutException("no answer from the key service: " + ar.cause().getMessage()));
            } else if (ar.result().body() instanceof JsonObject body) {
                f.complete(body.getBoolean("ok", false)
                        ? Result.accepted(body.getString("developer_id"), body.getString("key_id"))
                        : Result.refused(body.getString("reason", "refused")));
            } else {
                f.completeExceptionally(new IllegalStateException("unreadable answer from the key service"));
            }
        });
        return f;
    }
}
