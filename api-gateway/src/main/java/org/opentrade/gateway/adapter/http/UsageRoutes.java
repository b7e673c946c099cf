package org.opentrade.gateway.adapter.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.opentrade.gateway.domain.Developer;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.gateway.domain.KeyLookup;
import org.opentrade.gateway.domain.Plan;
import org.opentrade.gateway.domain.PlanCatalog;
import org.opentrade.gateway.domain.PolicyRateLimiter;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.RouteClass;
import org.opentrade.gateway.domain.RoutePolicy;
import org.opentrade.gateway.domain.UsagePage;
import org.opentrade.gateway.domain.UsageRow;
import org.opentrade.gateway.port.KeyRegistry;
import org.opentrade.gateway.port.UsageMeter;

/**
 * {@code GET /v1/usage} (calls per key × route × minute in pages of at most {@link #MAX_ROWS} rows, whole minutes,
 * {@code next_cursor} where the next starts; and the plan of each key shown) and
 * {@code GET /v1/limits} (the caller's plan and the remaining budget; the key quota is the
 * developer's plan's). A session sees all of its developer's keys; an API key sees itself. These
 * routes run behind the same authentication, metering and limit filters as the API.
 */
public final class UsageRoutes {
    static final long DEFAULT_WINDOW_MINUTES = 60;
    static final long MAX_WINDOW_MINUTES = 7 * 24 * 60;
    private static final java.time.Duration MAX_WINDOW = java.time.Duration.ofMinutes(MAX_WINDOW_MINUTES);
    /**
     * Rows per answer, at most and by default. A week of one key called on every route each minute is about 400 000
     * rows (the refusals after authentication count too, so the budget does not bound them); the answer was built
     * whole on the event loop, and read in one go from the store. Smaller: less work per call (1 unit of the budget);
     * larger: fewer pages.
     */
    static final int MAX_ROWS = 5_000;

    private final KeyRegistry registry;
    private final KeyLookup lookup;
    private final PlanCatalog plans;
    private final UsageMeter meter;
    private final PolicyRateLimiter limiter;
    private final List<RoutePolicy> routes;
    private final LongSupplier nowMillis;

    public UsageRoutes(KeyRegistry registry, KeyLookup lookup, PlanCatalog plans, UsageMeter meter,
                       PolicyRateLimiter limiter, List<RoutePolicy> routes, LongSupplier nowMillis) {
        this.registry = registry;
        this.lookup = lookup;
        this.plans = plans;
        this.meter = meter;
        this.limiter = limiter;
        this.routes = routes;
        this.nowMillis = nowMillis;
    }

    /** {@code GET /v1/usage} and {@code GET /v1/limits}: an API key or a session, 1 unit of its budget. */
    public List<GatewayRoute> routes() {
        return List.of(GatewayRoute.platform("GET", "/v1/usage", Access.KEY_OR_SESSION, 1, this::usage)
                        .withQuery("key_id", "from", "to", "limit", "cursor"),
                GatewayRoute.platform("GET", "/v1/limits", Access.KEY_OR_SESSION, 1, this::limits));
    }

    public void usage(RoutingContext ctx) {
        Principal p = ctx.get(RequestKeys.PRINCIPAL);
        long nowMinute = nowMillis.getAsLong() / 60_000;
        // Rows are per minute: from is taken down to its minute, to up to the next (the minute it falls in counts);
        // the order and the 7 days are checked on the times as given.
        Instant toAt = time(ctx.queryParams().get("to"), "to");
        Instant fromAt = time(ctx.queryParams().get("from"), "from");
        // Up to the next minute, but not past 9999's last minute, which the answer can still write as RFC 3339.
        long to = toAt == null ? nowMinute + 1 : Math.min(ceilMinute(toAt), YEAR_10000.getEpochSecond() / 60 - 1);
        long from = fromAt == null ? to - DEFAULT_WINDOW_MINUTES : Math.floorDiv(fromAt.getEpochSecond(), 60);
        Instant start = fromAt != null ? fromAt : Instant.ofEpochSecond(from * 60);
        Instant end = toAt != null ? toAt : Instant.ofEpochSecond(to * 60);
        if (!start.isBefore(end) || java.time.Duration.between(start, end).compareTo(MAX_WINDOW) > 0) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "'from' must be before 'to' and at most 7 days before it");
        }
        int limit = limit(ctx.queryParams().get("limit"));
        long readFrom = from;
        Instant cursorAt = time(ctx.queryParams().get("cursor"), "cursor");
        if (cursorAt != null) {
            readFrom = Math.floorDiv(cursorAt.getEpochSecond(), 60);
            if (readFrom < from || readFrom >= to) {
                throw new Rejection(GatewayError.INVALID_PARAMETER, "'cursor' must be a next_cursor of this window");
            }
        }
        long pageFrom = readFrom;
        String keyId = ctx.queryParams().get("key_id");
        Future<Map<String, String>> planOf; // the ids to report, with their plans, in listing order
        if (!p.isSession()) {
            if (keyId != null && !keyId.equals(p.keyId())) {
                throw new Rejection(GatewayError.NOT_FOUND, "an API key sees only its own usage");
            }
            planOf = Future.succeededFuture(Map.of(p.keyId(), p.plan().name()));
        } else {
            planOf = Async.store(ctx, registry.keysOf(p.developerId())).compose(keys -> {
                Map<String, String> own = new LinkedHashMap<>();
                own.put(p.meterId(), p.plan().name());
                keys.forEach(k -> own.put(k.id(), k.plan()));
                if (keyId == null) {
                    return Future.succeededFuture(own);
                }
                return own.containsKey(keyId) ? Future.succeededFuture(Collections.singletonMap(keyId, own.get(keyId)))
                        : Future.failedFuture(new Rejection(GatewayError.NOT_FOUND, "you have no such key"));
            });
        }
        planOf.compose(ids -> Async.store(ctx, meter.usage(List.copyOf(ids.keySet()), pageFrom, to, limit)).map(page -> {
            JsonArray out = new JsonArray();
            for (UsageRow r : page.rows()) {
                out.add(new JsonObject().put("key_id", r.keyId()).put("route", r.route())
                        .put("minute", org.opentrade.common.json.IsoTimes.format(r.epochMinute() * 60_000))
                        .put("calls", r.calls()).put("calls_2xx", r.calls2xx()).put("calls_4xx", r.calls4xx())
                        .put("calls_5xx", r.calls5xx())
                        .put("latency_avg_ms", r.calls() == 0 ? 0.0 : r.latencyMicrosTotal() / 1000.0 / r.calls())
                        .put("latency_max_ms", r.latencyMicrosMax() / 1000.0));
            }
            JsonObject keyPlans = new JsonObject();
            ids.forEach(keyPlans::put);
            return new JsonObject().put("from", org.opentrade.common.json.IsoTimes.format(from * 60_000))
                    .put("to", org.opentrade.common.json.IsoTimes.format(to * 60_000)).put("plans", keyPlans).put("rows", out)
                    .put("next_cursor", page.nextMinute() == UsagePage.NO_MORE ? null
                            : org.opentrade.common.json.IsoTimes.format(page.nextMinute() * 60_000));
        })).onSuccess(body -> JsonBodies.send(ctx, 200, body)).onFailure(err -> Async.fail(ctx, err));
    }

    public void limits(RoutingContext ctx) {
        Principal p = ctx.get(RequestKeys.PRINCIPAL);
        Future<Plan> developerPlan = p.isSession() ? Future.succeededFuture(p.plan())
                : Async.store(ctx, lookup.developer(p.developerId()))
                        .map(d -> plans.planOrDefault(d.map(Developer::plan).orElse(null)));
        developerPlan.compose(dp -> Async.on(ctx, limiter.acquire("w:" + p.meterId(), p.plan().weightLimit(), 0,
                        RouteClass.PLATFORM)).map(o -> {
                    JsonObject weight = new JsonObject().put("limit", p.plan().weightPerMinute()).put("period_seconds", 60);
                    if (!o.unavailable()) {
                        weight.put("remaining", o.decision().remaining())
                                .put("reset_seconds", (o.decision().resetMillis() + 999) / 1000);
                    }
                    JsonObject weights = new JsonObject();
                    routes.forEach(r -> weights.put(r.name(), r.weight()));
                    return new JsonObject().put("plan", p.plan().name())
                            .put("request_weight", weight)
                            .put("orders_per_symbol", new JsonObject().put("limit", p.plan().ordersPerSecondPerSymbol())
                                    .put("period_seconds", 1))
                            .put("developer_plan", dp.name())
                            .put("max_keys", dp.maxKeys())
                            .put("route_weights", weights);
                }))
                .onSuccess(body -> JsonBodies.send(ctx, 200, body))
                .onFailure(err -> Async.fail(ctx, err));
    }

    private static int limit(String text) {
        if (text == null) {
            return MAX_ROWS;
        }
        if (text.isEmpty() || text.length() > 6 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(text) < 1 || Integer.parseInt(text) > MAX_ROWS) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "'limit' must be a whole number from 1 to " + MAX_ROWS);
        }
        return Integer.parseInt(text);
    }

    /** 10000-01-01T00:00:00Z: the first moment RFC 3339 cannot write. */
    private static final Instant YEAR_10000 = Instant.ofEpochSecond(253_402_300_800L);

    /** The first whole minute at or after {@code t}, in minutes since the epoch. */
    private static long ceilMinute(Instant t) {
        long m = Math.floorDiv(t.getEpochSecond(), 60);
        return t.getEpochSecond() % 60 == 0 && t.getNano() == 0 ? m : m + 1;
    }

    private static Instant time(String iso, String name) {
        if (iso == null) {
            return null;
        }
        Instant t;
        try {
            t = Instant.parse(iso);
        } catch (DateTimeParseException e) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "'" + name + "' must be an ISO-8601 time");
        }
        // Years 1970 to 9999: what the answer can echo as RFC 3339 (Instant.parse takes +999999999-…).
        if (t.isBefore(Instant.EPOCH) || !t.isBefore(YEAR_10000)) {
            throw new Rejection(GatewayError.INVALID_PARAMETER, "'" + name + "' must be a time from 1970 to 9999");
        }
        return t;
    }
}
