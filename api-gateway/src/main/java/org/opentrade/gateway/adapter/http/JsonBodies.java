package org.opentrade.gateway.adapter.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.opentrade.common.json.StrictJson;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.KeyType;
import org.opentrade.gateway.domain.Plan;
import org.opentrade.gateway.domain.PlanCatalog;

/** Reading request bodies and writing the gateway's own JSON answers. */
final class JsonBodies {

    private JsonBodies() {
    }

    /** The message for a missing body the contract requires. */
    static final String BODY_REQUIRED = "a request body is required: a JSON object";

    /** The body as a JSON object, for routes whose body the contract requires: no bytes answer -1002. */
    static JsonObject requiredObject(RoutingContext ctx) {
        return requiredObject(ctx, "");
    }

    /** {@link #requiredObject(RoutingContext)}, its refusal followed by {@code hint} (e.g. what {@code {}} means). */
    static JsonObject requiredObject(RoutingContext ctx, String hint) {
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().buffer().length() == 0) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, BODY_REQUIRED + hint);
        }
        return object(ctx);
    }

    /**
     * The body as a JSON object, for routes whose body is optional; an empty body is an empty object. Its media
     * type was checked before the body was read ({@link org.opentrade.common.web.JsonMediaType}).
     */
    static JsonObject object(RoutingContext ctx) {
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return new JsonObject();
        }
        try {
            Object v = StrictJson.decode(body);
            if (v instanceof JsonObject o) {
                return o;
            }
        } catch (StrictJson.Duplicate e) {
            throw duplicate(e);
        } catch (DecodeException e) {
            throw new Rejection(GatewayError.MALFORMED_REQUEST, "the request body is not valid JSON");
        }
        throw new Rejection(GatewayError.MALFORMED_REQUEST, "the request body must be a JSON object");
    }

    /**
     * Refuses a body with a member other than {@code allowed} (400 -1002 naming it and the allowed ones), as the
     * contract's {@code additionalProperties: false} says: a misspelled {@code allowed_cidrs} or {@code expires_at}
     * ignored would make a key without the restriction its owner asked for. Returns {@code body}.
     */
    static JsonObject onlyFields(JsonObject body, java.util.Set<String> allowed) {
        for (String name : body.fieldNames()) {
            if (!allowed.contains(name)) {
                throw new Rejection(GatewayError.INVALID_PARAMETER, "unknown field '" + printableName(name) + "'; allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
        return body;
    }

    /** A caller's field name as it may appear in a message: bounded, control characters replaced. */
    private static String printableName(String name) {
        String n = name.length() > 64 ? name.substring(0, 64) + "…" : name;
        return n.replaceAll("\\p{Cntrl}", "?");
    }

    /** The answer to a body that names a member twice (its meaning would depend on the parser). */
    static Rejection duplicate(StrictJson.Duplicate e) {
        return new Rejection(GatewayError.MALFORMED_REQUEST, "the request body is ambiguous: " + e.getMessage());
    }

    /** A string field, trimmed, with a length range; null when absent and optional. */
    static String string(JsonObject o, String field, int min, int max, boolean required) {
        Object v = o.getValue(field);
        if (v == null) {
            if (required) {
                throw new Rejection(GatewayError.INVALID_PARAMETER, "'" + field + "' is required");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "'" + field + "' must be a string");
        }
        if (s.length() < min || s.length() > max) {
            throw new Rejection(GatewayError.INVALID_PARAMETER,
                    "'" + field + "' must be " + min + " to " + max + " characters long");
        }
        return s;
    }

    /**
     * A field people read (a developer's name and email, a key's label) as {@link #string}, refusing what cannot
     * be shown as written: control characters (a NUL, a line break forging a line in a log or a CSV export), the
     * invisible marks that reorder text (U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069: text that reads
     * otherwise than it is stored) and a half of a surrogate pair (it cannot be stored as UTF-8).
     */
    static String displayText(JsonObject o, String field, int min, int max, boolean required) {
        String s = string(o, field, min, max, required);
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a pair: one character beyond the Basic Multilingual Plane (an emoji, a rare CJK character)
            } else if (Character.isSurrogate(c) || Character.isISOControl(c) || directionMark(c)) {
                throw new Rejection(GatewayError.INVALID_PARAMETER, "'" + field + "' must be printable text: no control "
                        + "characters, direction marks or unpaired surrogates (U+" + String.format("%04X", (int) c)
                        + " at index " + i + ")");
            }
        }
        return s;
    }

    private static boolean directionMark(char c) {
        return c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    /** The {@code plan} field: a plan of the catalog (-1008 otherwise); null when absent and optional. */
    static Plan plan(JsonObject o, PlanCatalog plans, boolean required) {
        String name = string(o, "plan", 1, 32, required);
        if (name == null) {
            return null;
        }
        return plans.find(name).orElseThrow(() -> new Rejection(GatewayError.UNKNOWN_PLAN,
                "'plan' must be one of " + String.join(", ", plans.names()) + " (lowest first)"));
    }

    static void send(RoutingContext ctx, int status, Object body) {
        String text = body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode();
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
    }

    static String time(long epochMillis) {
        // The contract's time shape, milliseconds always (Instant.toString drops ".000").
        return epochMillis <= 0 ? null : org.opentrade.common.json.IsoTimes.format(epochMillis);
    }

    static String keyType(KeyType type) {
        return type == KeyType.SECRET ? "secret" : "ed25519";
    }
}
