package org.opentrade.gateway.adapter.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.KeyType;
import org.opentrade.gateway.domain.Plan;
import org.opentrade.gateway.domain.PlanCatalog;

/** Reading request bodies and writing the gateway's own JSON answers. */
final class JsonBodies {

    private JsonBodies() {
    }

    /** The message for a missing body the contract requires. */
    static final String BODY_REQUIRED = "a request body is required: a JSON object ({} takes the defaults)";

    /** The body as a JSON object, for routes whose body the contract requires: no bytes answer -1002. */
    static JsonObject requiredObject(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().buffer().length() == 0) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, BODY_REQUIRED);
        }
        return object(ctx);
    }

    /** The body as a JSON object, for routes whose body is optional; an empty body is an empty object. */
    static JsonObject object(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new Rejection(GatewayError.UNSUPPORTED_MEDIA_TYPE);
        }
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return new JsonObject();
        }
        try {
            Object v = io.vertx.core.json.Json.decodeValue(body);
            if (v instanceof JsonObject o) {
                return o;
            }
        } catch (DecodeException e) {
            throw new Rejection(GatewayError.MALFORMED_REQUEST, "the request body is not valid JSON");
        }
        throw new Rejection(GatewayError.MALFORMED_REQUEST, "the request body must be a JSON object");
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
        return epochMillis <= 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    static String keyType(KeyType type) {
        return type == KeyType.SECRET ? "secret" : "ed25519";
    }
}
