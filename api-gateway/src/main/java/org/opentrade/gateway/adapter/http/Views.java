package org.opentrade.gateway.adapter.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.Scope;

/** JSON views of developers and keys: what a client may see (never a hash or a password). */
final class Views {

    private Views() {
    }

    static JsonObject developer(Developer d) {
        return new JsonObject().put("developer_id", d.id()).put("email", d.email()).put("name", d.name())
                .put("plan", d.plan()).put("suspended", d.suspended()).put("created_at", JsonBodies.time(d.createdAt()));
    }

    static JsonObject key(ApiKey k, long nowMillis) {
        JsonArray scopes = new JsonArray();
        for (Scope s : Scope.values()) {
            if (k.scopes().contains(s)) {
                scopes.add(s.wireName());
            }
        }
        JsonObject o = new JsonObject().put("key_id", k.id()).put("label", k.label())
                .put("type", JsonBodies.keyType(k.type())).put("scopes", scopes).put("plan", k.plan())
                .put("allowed_cidrs", new JsonArray(k.allowedCidrs()))
                .put("expires_at", JsonBodies.time(k.expiresAt()))
                .put("status", k.status().name().toLowerCase(Locale.ROOT))
                .put("created_at", JsonBodies.time(k.createdAt()))
                .put("previous_secret_valid_until",
                        k.secretHashes().size() > 1 && k.previousSecretUntil() > nowMillis
                                ? JsonBodies.time(k.previousSecretUntil()) : null);
        if (k.publicKey() != null) {
            o.put("public_key", k.publicKey());
        }
        if (k.revokedAt() > 0) {
            o.put("revoked_at", JsonBodies.time(k.revokedAt()));
        }
        return o;
    }
}
