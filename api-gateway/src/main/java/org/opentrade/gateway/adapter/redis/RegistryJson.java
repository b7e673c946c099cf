package org.opentrade.gateway.adapter.redis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.opentrade.gateway.domain.ApiKey;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.KeyStatus;
import org.opentrade.gateway.domain.KeyType;
import org.opentrade.gateway.domain.Scope;

/**
 * The JSON form of developers and keys in Redis. Field names are written out here rather than derived
 * from the records, so renaming a record component cannot silently change what is stored. Scopes are
 * stored by wire name; a scope this gateway does not know (written by a newer one) is dropped, which
 * grants less, never more. A key's {@code plan} is absent in keys written before keys had plans (and
 * is then read as null; {@link RedisKeyRegistry} gives such a key its developer's plan).
 */
final class RegistryJson {

    private RegistryJson() {
    }

    static String encode(Developer d) {
        return new JsonObject()
                .put("id", d.id()).put("email", d.email()).put("name", d.name())
                .put("passwordHash", d.passwordHash()).put("plan", d.plan())
                .put("suspended", d.suspended()).put("createdAt", d.createdAt())
                .put("sessionGeneration", d.sessionGeneration())
                .encode();
    }

    static Developer developer(String json) {
        JsonObject o = new JsonObject(json);
        return new Developer(o.getString("id"), o.getString("email"), o.getString("name"),
                o.getString("passwordHash"), o.getString("plan"), o.getBoolean("suspended", false),
                o.getLong("createdAt", 0L), o.getInteger("sessionGeneration", 0));
    }

    static String encode(ApiKey k) {
        JsonArray scopes = new JsonArray();
        k.scopes().stream().map(Scope::wireName).sorted().forEach(scopes::add);
        JsonObject o = new JsonObject()
                .put("id", k.id()).put("developerId", k.developerId()).put("label", k.label())
                .put("type", k.type().name()).put("scopes", scopes)
                .put("secretHashes", new JsonArray(new ArrayList<>(k.secretHashes())))
                .put("previousSecretUntil", k.previousSecretUntil()).put("publicKey", k.publicKey())
                .put("allowedCidrs", new JsonArray(new ArrayList<>(k.allowedCidrs())))
                .put("expiresAt", k.expiresAt()).put("status", k.status().name())
                .put("createdAt", k.createdAt());
        if (k.revokedAt() != 0) {
            o.put("revokedAt", k.revokedAt());
        }
        if (k.plan() != null) {
            o.put("plan", k.plan());
        }
        return o.encode();
    }

    static ApiKey key(String json) {
        JsonObject o = new JsonObject(json);
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (Object name : o.getJsonArray("scopes", new JsonArray())) {
            Scope.fromWire(String.valueOf(name)).ifPresent(scopes::add);
        }
        return new ApiKey(o.getString("id"), o.getString("developerId"), o.getString("label"),
                KeyType.valueOf(o.getString("type")), scopes, o.getString("plan"), strings(o.getJsonArray("secretHashes")),
                o.getLong("previousSecretUntil", 0L), o.getString("publicKey"),
                strings(o.getJsonArray("allowedCidrs")), o.getLong("expiresAt", 0L),
                KeyStatus.valueOf(o.getString("status")), o.getLong("createdAt", 0L), o.getLong("revokedAt", 0L));
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }
}
