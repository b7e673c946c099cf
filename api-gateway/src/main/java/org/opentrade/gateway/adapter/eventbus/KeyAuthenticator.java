package org.opentrade.gateway.adapter.eventbus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.ApiSecrets;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.KeyStatus;
import org.opentrade.gateway.domain.KeyType;
import org.opentrade.gateway.domain.Scope;
import org.opentrade.gateway.port.KeyRegistry;

/**
 * Key checks for services that take credentials outside HTTP (trade-api's FIX acceptor checks a
 * Logon's Username/Password here): request-reply on {@value #ADDRESS}, request
 * {@code {key_id, secret, scope}}, reply {@code {ok:true, developer_id, key_id}} or
 * {@code {ok:false, reason}}. The secret is checked first, so only a holder of the key learns its
 * status; then the developer (suspended), the key's status (killed, revoked), expiry and the scope.
 * Reads the registry on every request (no cache: logons are rare and a revocation counts at once).
 * Runs on the registering context; never blocks; a store failure is answered {@code ok:false} with
 * "key store unavailable", never as an unknown key.
 */
public final class KeyAuthenticator {
    /** The address (a contract with trade-api's {@code EventBusKeyAuthenticator}). */
    public static final String ADDRESS = "opentrade.gateway.keys.authenticate";
    private static final Logger LOG = Logger.getLogger(KeyAuthenticator.class.getName());

    private final KeyRegistry registry;
    private final LongSupplier clock;

    public KeyAuthenticator(KeyRegistry registry, LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Registers the consumer on {@code vertx}'s event bus (local or clustered). */
    public static MessageConsumer<Object> register(Vertx vertx, KeyRegistry registry, LongSupplier clock) {
        KeyAuthenticator a = new KeyAuthenticator(registry, clock);
        return vertx.eventBus().consumer(ADDRESS, a::handle);
    }

    private void handle(Message<Object> m) {
        JsonObject body = m.body() instanceof JsonObject j ? j : new JsonObject();
        check(body.getString("key_id"), body.getString("secret"), body.getString("scope")).whenComplete((r, err) -> {
            if (err != null) {
                LOG.log(Level.WARNING, "key check failed: key store unavailable", err);
                m.reply(refused("key store unavailable; retry the logon later"));
            } else {
                m.reply(r);
            }
        });
    }

    /** The answer for one request (see the class comment for the order of the checks). */
    public CompletionStage<JsonObject> check(String keyId, String secret, String scope) {
        if (keyId == null || secret == null || !ApiSecrets.isKeyId(keyId)) {
            return CompletableFuture.completedFuture(refused("unknown key"));
        }
        Optional<Scope> wanted = Scope.fromWire(scope == null ? "" : scope);
        return registry.key(keyId).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(refused("unknown key"));
            }
            ApiKey key = found.get();
            long now = clock.getAsLong();
            if (key.type() != KeyType.SECRET
                    || !ApiSecrets.matches(secret, key.secretHashes(), key.previousSecretUntil(), now)) {
                return CompletableFuture.completedFuture(refused("wrong secret"));
            }
            return registry.developer(key.developerId()).thenApply(dev -> judge(key, dev, wanted, now));
        });
    }

    private static JsonObject judge(ApiKey key, Optional<Developer> dev, Optional<Scope> wanted, long now) {
        if (dev.isEmpty() || dev.get().suspended()) {
            return refused("developer suspended");
        }
        if (key.status() == KeyStatus.KILLED) {
            return refused("key killed by an administrator");
        }
        if (key.status() == KeyStatus.REVOKED) {
            return refused("key revoked");
        }
        if (key.expiresAt() > 0 && now >= key.expiresAt()) {
            return refused("key expired");
        }
        if (wanted.isEmpty() || !key.scopes().contains(wanted.get())) {
            return refused("key lacks scope " + (wanted.isEmpty() ? "(unknown scope)" : wanted.get().wireName()));
        }
        return new JsonObject().put("ok", true).put("developer_id", key.developerId()).put("key_id", key.id());
    }

    private static JsonObject refused(String reason) {
        return new JsonObject().put("ok", false).put("reason", reason);
    }
}
