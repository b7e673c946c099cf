package org.opentrade.trade.adapter.http;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.opentrade.common.tracing.TraceAttributes;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.common.web.AnswerEnd;
import org.opentrade.common.web.JsonMediaType;
import org.opentrade.common.web.QueryParams;
import org.opentrade.trade.adapter.json.TradeJson;
import org.opentrade.trade.domain.Fill;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.common.discovery.Partitions;
import org.opentrade.trade.domain.TradeError;
import org.opentrade.trade.domain.desk.Outcome;
import org.opentrade.trade.domain.desk.TradeDesk;
import org.opentrade.trade.domain.ledger.AccountView;
import org.opentrade.trade.domain.ledger.OrderQuery;
import org.opentrade.trade.domain.ledger.Page;
import org.opentrade.trade.domain.ledger.PositionView;
import org.opentrade.trade.port.MutationAnswers;

/**
 * trade-api's REST endpoints (docs/contracts.md API map, "trading"). Every {@code /v1} request must carry
 * the gateway's assertion; the account is the asserted developer, so nobody reads or changes another
 * account. Handlers run on the trade context (the HTTP server is deployed on it) and never block.
 */
public final class TradeRoutes {
    private static final BigDecimal MAX_STARTING_BALANCE = new BigDecimal("1000000000000");
    static final String CALLER = "caller";
    private static final TextMapGetter<HttpServerRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServerRequest carrier) {
            return carrier.headers().names();
        }

        @Override
        public String get(HttpServerRequest carrier, String key) {
            return carrier == null ? null : carrier.getHeader(key);
        }
    };

    private final TradeDesk desk;
    private final Tracing tracing;
    private final CallerCheck callers;
    /** Account partitions (0: none) and the one this instance serves; see {@link #servingPartition}. */
    private int partitions;
    private int partition;
    private final BooleanSupplier ready;
    private final LongSupplier clock;
    private final long maxBodyBytes;
    private final long defaultBalance;
    /** 1 000 keys per account, 100 000 in all: past that, the account holding the most loses its oldest. */
    private final IdempotencyCache idempotency = new IdempotencyCache(MutationAnswers.MAX_PER_ACCOUNT, MutationAnswers.MAX_KEPT,
            MutationAnswers.KEPT_MILLIS);
    /** Where each answer kept in {@link #idempotency} is recorded too; null: memory only. */
    private MutationAnswers answers;
    /**
     * (account, Idempotency-Key) of the mutations being answered now: a second request under the key meanwhile
     * (a client that timed out and retried at once) is refused, never run beside the first. An entry goes when
     * its request's answer ends, whatever it was; so at most one per request in flight.
     */
    private final Set<String> keysInFlight = ConcurrentHashMap.newKeySet();
    private static final String KEY_IN_FLIGHT = "opentrade.trade.idempotencyKeyInFlight";
    private static final String KEY_WORKING = "opentrade.trade.idempotencyKeyWorking";

    public TradeRoutes(TradeDesk desk, Tracing tracing, CallerCheck callers, BooleanSupplier ready, LongSupplier clock,
                       long maxBodyBytes, long defaultBalance) {
        this.desk = desk;
        this.tracing = tracing;
        this.callers = callers;
        this.ready = ready;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.defaultBalance = defaultBalance;
    }

    public void mount(Router router) {
        router.route().order(-1000).handler(this::trace);
        router.route("/v1/*").order(-900).handler(this::authenticate);
        // A body only as application/json (415 -1006 otherwise, one without a Content-Type too), refused before it
        // is read: the gateway's one check (JsonMediaType), since trade-api can be reached without the gateway.
        router.route("/v1/*").order(-850).handler(ctx -> {
            String refusal = JsonMediaType.refusal(ctx.request());
            if (refusal != null) {
                TradeHttp.fail(ctx, TradeError.UNSUPPORTED_MEDIA_TYPE, refusal);
            } else {
                ctx.next();
            }
        });
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes).setHandleFileUploads(false);
        router.route("/v1/*").order(-800).handler(body);
        router.get("/v1/account").handler(guarded(this::account));
        router.post("/v1/account/reset").handler(guarded(keyed(this::reset)));
        router.post("/v1/account/kill-switch").handler(guarded(keyed(this::killSwitch)));
        router.get("/v1/positions").handler(guarded(this::positions));
        router.delete("/v1/positions").handler(guarded(keyed(this::closeAll), "cancel_orders"));
        router.get("/v1/positions/:symbol").handler(guarded(this::position));
        router.delete("/v1/positions/:symbol").handler(guarded(keyed(this::closePosition), "qty", "percentage",
                "cancel_orders"));
        router.post("/v1/orders").handler(guarded(this::place));
        router.get("/v1/orders").handler(guarded(this::listOrders, "status", "symbol", "start", "end", "limit", "cursor"));
        router.delete("/v1/orders").handler(guarded(keyed(this::cancelAll), "symbol", "side"));
        router.get("/v1/orders/by-client-id/:client_order_id").handler(guarded(this::orderByClientId));
        router.get("/v1/orders/:order_id").handler(guarded(this::order));
        router.patch("/v1/orders/:order_id").handler(guarded(keyed(this::replace)));
        router.delete("/v1/orders/:order_id").handler(guarded(keyed(this::cancel)));
        router.get("/v1/fills").handler(guarded(this::fills, "limit", "cursor"));
    }

    /**
     * The order stream's {@code cancel_on_disconnect} (its only query parameter): true or false, absent is false.
     * Anything else is answered 422 -1002 and gives null: any value but "true" used to mean false, so a client
     * asking with {@code =1} for the safety net silently got none.
     */
    public static Boolean cancelOnDisconnect(RoutingContext rc) {
        String refusal = QueryParams.refusal(rc, List.of("cancel_on_disconnect"));
        String value = refusal == null ? rc.queryParams().get("cancel_on_disconnect") : null;
        if (value != null && !value.equals("true") && !value.equals("false")) {
            refusal = "cancel_on_disconnect must be true or false, got '" + OrderBodies.clip(value) + "'";
        }
        if (refusal != null) {
            TradeHttp.fail(rc, TradeError.INVALID_PARAMETER, refusal);
            return null;
        }
        return "true".equals(value);
    }

    /**
     * Serve only callers of account partition {@code partition} of {@code partitions} (see
     * {@link Partitions}); others get 503 -9001 naming their partition. Call before the routes serve.
     */
    public TradeRoutes servingPartition(int partitions, int partition) {
        this.partitions = partitions;
        this.partition = partition;
        return this;
    }

    /** {@code h} behind the checks every endpoint makes; {@code query}: the query parameters it takes. */
    private Handler<RoutingContext> guarded(Handler<RoutingContext> h, String... query) {
        List<String> takes = List.of(query);
        return ctx -> {
            try {
                if (!ready.getAsBoolean()) {
                    TradeHttp.fail(ctx, TradeError.NOT_READY, "trading is starting (catching up with the exchange);"
                            + " retry in a few seconds");
                    return;
                }
                String refusal = QueryParams.refusal(ctx, takes);
                if (refusal != null) {
                    TradeHttp.fail(ctx, TradeError.INVALID_PARAMETER, refusal);
                    return;
                }
                h.handle(ctx);
            } catch (OrderBodies.BadBody bad) {
                TradeHttp.fail(ctx, bad.error, bad.getMessage());
            } catch (BadParam bad) {
                TradeHttp.fail(ctx, TradeError.INVALID_PARAMETER, bad.getMessage());
            } catch (RuntimeException e) {
                TradeHttp.internal(ctx, e);
            }
        };
    }

    /**
     * {@code h}, a mutation other than a new order, behind its Idempotency-Key: a retry under the key gets the first
     * answer before anything else is looked at. The order's lookup came first in a cancel and a replace, so a retry
     * after the order had left the kept history ({@code accounts.history_kept}) was answered 404 -4112 instead of
     * the 200 its first request got; any check of the state before the stored answer can answer a retry otherwise.
     * New orders are keyed by the desk ({@link TradeDesk#place}), which looks the key up first.
     */
    private Handler<RoutingContext> keyed(Handler<RoutingContext> h) {
        return ctx -> {
            if (!replayed(ctx, accountOf(ctx))) {
                h.handle(ctx);
            }
        };
    }

    /** A bad query parameter. */
    static final class BadParam extends RuntimeException {
        BadParam(String message) {
            super(message, null, false, false);
        }
    }

    // ------------------------------------------------------------------ identity and tracing

    private void trace(RoutingContext ctx) {
        if (tracing == null) {
            String tp = ctx.request().getHeader("traceparent");
            ctx.put(TradeHttp.TRACE_ID, tp != null && tp.length() >= 35 ? tp.substring(3, 35)
                    : org.opentrade.common.error.TraceIds.random());
            ctx.next();
            return;
        }
        Context parent = Tracing.propagator().extract(Context.root(), ctx.request(), HEADERS);
        Span span = tracing.tracer().spanBuilder(ctx.request().method() + " " + routeName(ctx.request().path()))
                .setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", ctx.request().method().name()).startSpan();
        ctx.put(TradeHttp.SPAN, span);
        ctx.put(TradeHttp.TRACE_ID, span.getSpanContext().isValid() ? span.getSpanContext().getTraceId()
                : org.opentrade.common.error.TraceIds.random());
        // At the answer's end, or as a stream opens (101): Vert.x Web runs no end handler for an upgraded request.
        AnswerEnd.on(ctx, (status, completed) -> {
            span.setAttribute("http.response.status_code", status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        });
        ctx.next();
    }

    /**
     * The route template of a path, so span names stay few: a span name is an index key in Zipkin (its
     * span-name list per service, which its in-memory store never prunes while the service sends spans), so a
     * path parameter the caller chose (an order id, a symbol) must not reach it. Every route with a parameter
     * has its prefix here.
     */
    static String routeName(String path) {
        if (path == null) {
            return "";
        }
        if (path.startsWith("/v1/positions/")) {
            return "/v1/positions/{symbol}";
        }
        if (path.startsWith("/v1/orders/by-client-id/")) {
            return "/v1/orders/by-client-id/{client_order_id}";
        }
        if (path.startsWith("/v1/orders/")) {
            return "/v1/orders/{order_id}";
        }
        return path.length() > 64 ? path.substring(0, 64) : path;
    }

    private void authenticate(RoutingContext ctx) {
        Caller caller = callers.verify(ctx.request());
        if (caller == null) {
            TradeHttp.fail(ctx, TradeError.IDENTITY_MISSING, "trade-api answers only requests that come through the"
                    + " gateway: no valid X-OpenTrade-Assertion");
            return;
        }
        if (partitions > 0 && Partitions.of(caller.developerId(), partitions) != partition) {
            // A gateway without this instance's partitioning, or a stale one: never act for an account
            // whose orders and client order ids another instance holds.
            TradeHttp.fail(ctx, TradeError.NOT_READY, "this trade-api instance serves account partition " + partition
                    + " of " + partitions + "; this account is in partition " + Partitions.of(caller.developerId(),
                    partitions) + " (set upstreams.trade-api.partitions: " + partitions + " on the gateways)");
            return;
        }
        ctx.put(CALLER, caller);
        Span span = ctx.get(TradeHttp.SPAN);
        if (span != null) {
            span.setAttribute(TraceAttributes.DEVELOPER_ID, caller.developerId());
        }
        ctx.next();
    }

    private static String accountOf(RoutingContext ctx) {
        Caller c = ctx.get(CALLER);
        return c.developerId();
    }

    /** A child span for a step of the request, whose traceparent goes to the exchange with the command. */
    private Span step(RoutingContext ctx, String name) {
        Span parent = ctx.get(TradeHttp.SPAN);
        if (tracing == null || parent == null) {
            return Span.getInvalid();
        }
        return tracing.tracer().spanBuilder(name).setParent(Context.root().with(parent)).setSpanKind(SpanKind.CLIENT)
                .startSpan();
    }

    private static String traceParent(Span span, RoutingContext ctx) {
        if (!span.getSpanContext().isValid()) {
            return ctx.request().getHeader("traceparent");
        }
        // what the W3C propagator writes (version 00, no tracestate), without a carrier map and the B3 headers
        SpanContext sc = span.getSpanContext();
        return "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex();
    }

    // ------------------------------------------------------------------ account and positions

    private long lastPrice(String symbol) {
        return desk.market().mark(symbol);
    }

    private JsonObject accountJson(String account) {
        if (!desk.ledger().hasAccount(account)) {
            return new JsonObject().put("account", account).put("currency", "CNY").put("cash", TradeJson.money(defaultBalance))
                    .put("buying_power", TradeJson.money(defaultBalance)).put("equity", TradeJson.money(defaultBalance))
                    .put("market_value", "0.00").put("realized_pnl", "0.00").put("unrealized_pnl", "0.00")
                    .put("fees_paid", "0.00").put("starting_balance", TradeJson.money(defaultBalance))
                    .put("open_orders", 0).put("kill_switch", desk.killSwitch(account));
        }
        AccountView a = desk.ledger().account(account, this::lastPrice);
        return new JsonObject().put("account", account).put("currency", "CNY").put("cash", TradeJson.money(a.cash()))
                .put("buying_power", TradeJson.money(a.buyingPower())).put("equity", TradeJson.money(a.equity()))
                .put("market_value", TradeJson.money(a.marketValue())).put("realized_pnl", TradeJson.money(a.realizedPnl()))
                .put("unrealized_pnl", TradeJson.money(a.unrealizedPnl())).put("fees_paid", TradeJson.money(a.feesPaid()))
                .put("reserved", TradeJson.money(a.reserved())).put("starting_balance", TradeJson.money(a.startingCash()))
                .put("open_orders", a.openOrders()).put("kill_switch", desk.killSwitch(account));
    }

    private void account(RoutingContext ctx) {
        TradeHttp.ok(ctx, 200, accountJson(accountOf(ctx)));
    }

    private void positions(RoutingContext ctx) {
        String account = accountOf(ctx);
        JsonArray items = new JsonArray();
        if (desk.ledger().hasAccount(account)) {
            for (PositionView p : desk.ledger().positions(account, this::lastPrice, clock.getAsLong())) {
                items.add(positionJson(p));
            }
        }
        TradeHttp.ok(ctx, 200, new JsonObject().put("items", items).putNull("next_cursor"));
    }

    private static JsonObject positionJson(PositionView p) {
        return new JsonObject().put("symbol", p.symbol()).put("qty", p.qty()).put("sellable_qty", p.sellableQty())
                .put("avg_cost", TradeJson.money(p.avgCost())).put("last_price", TradeJson.money(p.lastPrice()))
                .put("market_value", TradeJson.money(p.marketValue()))
                .put("unrealized_pnl", TradeJson.money(p.unrealizedPnl()))
                .put("cost_basis", TradeJson.money(p.costBasis()));
    }

    private static String symbolParam(RoutingContext ctx) {
        String symbol = ctx.pathParam("symbol");
        if (symbol == null || !OrderBodies.SYMBOL.matcher(symbol).matches()) {
            throw new BadParam("symbol must be an instrument code such as 600000.SH");
        }
        return symbol;
    }

    private void position(RoutingContext ctx) {
        String account = accountOf(ctx);
        String symbol = symbolParam(ctx);
        PositionView p = desk.ledger().hasAccount(account)
                ? desk.ledger().position(account, symbol, this::lastPrice, clock.getAsLong()) : null;
        if (p != null && p.qty() > 0) {
            TradeHttp.ok(ctx, 200, positionJson(p));
        } else if (!refusedAsUnknown(ctx, account, symbol)) {
            TradeHttp.fail(ctx, TradeError.NO_POSITION, "no position in '" + symbol + "'");
        }
    }

    /**
     * Refuses a read of {@code symbol} with 422 -4116 when the exchange does not trade it here and the account has
     * no order of it kept and no position in it: as a new order and a cancel-all of it are refused. Answered as an
     * empty list or 404 -4117 "no position", {@code 600000.sh} (symbols are case sensitive) read as "nothing there"
     * while the account held 600000.SH. A symbol the account has something in (one no longer traded) reads as
     * before. Costs a scan of the account's kept history, and only for a symbol not traded here.
     */
    private boolean refusedAsUnknown(RoutingContext ctx, String account, String symbol) {
        if (desk.knows(symbol) || desk.ledger().hasAccount(account)
                && (desk.ledger().position(account, symbol, s -> 0, clock.getAsLong()) != null
                || !desk.ledger().orders(account, OrderQuery.of(OrderQuery.StatusFilter.ALL).withSymbol(symbol).withLimit(1))
                .items().isEmpty())) {
            return false;
        }
        TradeHttp.fail(ctx, TradeError.UNKNOWN_SYMBOL, "unknown symbol '" + symbol + "' (symbols are case sensitive, such"
                + " as 600000.SH); GET /v1/market/instruments lists them");
        return true;
    }

    /** Sells the position at market: 201 with the order (200 when a retry finds the sell a lost answer placed). */
    private void closePosition(RoutingContext ctx) {
        String account = accountOf(ctx);
        String symbol = symbolParam(ctx);
        String rawQty = ctx.request().getParam("qty");
        String rawPercentage = ctx.request().getParam("percentage");
        if (rawQty != null && rawPercentage != null) {
            throw new BadParam("give qty or percentage, not both (neither: sell all that is sellable)");
        }
        long qty = 0;
        if (rawQty != null) {
            qty = rawQty.matches("[1-9][0-9]{0,11}") ? Long.parseLong(rawQty) : -1;
            if (qty <= 0) {
                throw new BadParam("qty must be a whole number of shares from 1 (leave it out to sell all that is sellable)");
            }
        }
        int percent = rawPercentage == null ? 0 : percentParam(rawPercentage);
        TradeDesk.CloseRequest close = new TradeDesk.CloseRequest(qty, percent, cancelOrdersParam(ctx));
        String key = idempotencyKey(ctx);
        // As other mutations (keyed(): the route answers a retry under the key before this runs), another request
        // under it 409 -4115, one sent while the first still runs 409 with Retry-After. The sell's client order id,
        // derived from the key, covers an answer a crash lost: the retry then finds the sell instead of placing another.
        Span span = step(ctx, "trade-api.close-position");
        answer(ctx, account, desk.closePosition(account, symbol, close, key, traceParent(span, ctx)), span, o -> {
            int status = o.kind() == Outcome.Kind.CREATED ? 201 : 200;
            TradeHttp.ok(ctx, status, remember(ctx, account, status, TradeJson.order(o.order())));
        });
    }

    /** {@code percentage}: above 0 and at most 100, up to two decimals; in hundredths of a percent. */
    private static int percentParam(String raw) {
        if (!raw.matches("(100(\\.0{1,2})?|[0-9]{1,2}(\\.[0-9]{1,2})?)")) {
            throw new BadParam("percentage must be a number above 0 and at most 100, with up to two decimals (e.g. 50 or"
                    + " 33.33)");
        }
        int hundredths = new java.math.BigDecimal(raw).movePointRight(2).intValueExact();
        if (hundredths <= 0) {
            throw new BadParam("percentage must be above 0");
        }
        return hundredths;
    }

    /** {@code cancel_orders}: {@code true} or {@code false} (the default). */
    private static boolean cancelOrdersParam(RoutingContext ctx) {
        String raw = ctx.request().getParam("cancel_orders");
        if (raw == null || raw.equals("false")) {
            return false;
        }
        if (raw.equals("true")) {
            return true;
        }
        throw new BadParam("cancel_orders must be true or false");
    }

    /** Closes every position: one result per position held, as cancel-all answers one per order. */
    private void closeAll(RoutingContext ctx) {
        String account = accountOf(ctx);
        boolean cancelOrders = cancelOrdersParam(ctx);
        String key = idempotencyKey(ctx);
        Span span = step(ctx, "trade-api.close-all");
        answerEach(ctx, account, span, desk.closeAll(account, cancelOrders, key, traceParent(span, ctx)), c -> {
            Outcome o = c.outcome();
            JsonObject item = new JsonObject().put("symbol", c.symbol());
            switch (o.kind()) {
                case CREATED, EXISTING, DONE -> item.put("status", o.kind() == Outcome.Kind.CREATED ? 201 : 200);
                case UNKNOWN -> item.put("status", 504).put("error_no", TradeError.STATUS_UNKNOWN.errorNo())
                        .put("error", o.message());
                case BUSY -> item.put("status", 503).put("error_no", TradeError.NOT_READY.errorNo())
                        .put("error", o.message());
                default -> item.put("status", o.error() != null ? TradeHttp.status(o.error())
                                : statusOfExchangeCode(o.exchangeCode()))
                        .put("error_no", o.error() != null ? o.error().errorNo() : o.exchangeCode())
                        .put("error", o.message());
            }
            if (o.order() != null && o.kind() != Outcome.Kind.BUSY) {
                item.put("order", TradeJson.order(o.order())); // the sell: placed, rejected, or of unknown status
            }
            return item;
        });
    }

    /**
     * Answers a batch (cancel-all, close-all) once every part has its outcome: 200 with one item each, the answer
     * remembered under the request's Idempotency-Key.
     */
    private <T> void answerEach(RoutingContext ctx, String account, Span span, CompletionStage<List<T>> stage,
                                java.util.function.Function<T, JsonObject> item) {
        releaseKeyAfter(ctx, stage.whenComplete((list, err) -> {
            span.end();
            if (err != null) {
                TradeHttp.internal(ctx, err);
                return;
            }
            JsonArray items = new JsonArray();
            for (T t : list) {
                items.add(item.apply(t));
            }
            TradeHttp.ok(ctx, 200, remember(ctx, account, 200, new JsonObject().put("items", items).putNull("next_cursor")));
        }));
    }

    private void reset(RoutingContext ctx) {
        String account = accountOf(ctx);
        long balance = defaultBalance;
        if (ctx.body() != null && ctx.body().length() > 0) {
            JsonObject j = OrderBodies.object(ctx.body().buffer());
            Object raw = j.getValue("starting_balance");
            if (raw != null) {
                balance = amount(raw, "starting_balance");
            }
            for (String k : j.fieldNames()) {
                if (!k.equals("starting_balance")) {
                    throw new BadParam("unknown field '" + OrderBodies.clip(k) + "'; allowed: starting_balance");
                }
            }
        }
        Span span = step(ctx, "trade-api.reset");
        answer(ctx, account, desk.reset(account, balance, traceParent(span, ctx)), span, o ->
                TradeHttp.ok(ctx, 200, remember(ctx, account, 200, accountJson(account))));
    }

    private static long amount(Object raw, String field) {
        long h = OrderBodies.hundredths(raw, MAX_STARTING_BALANCE);
        if (h < 0) {
            throw new BadParam(field + " must be a positive amount with at most 2 decimals, up to 1 000 000 000 000");
        }
        return h;
    }

    private void killSwitch(RoutingContext ctx) {
        String account = accountOf(ctx);
        JsonObject j = OrderBodies.object(ctx.body() == null ? null : ctx.body().buffer());
        Object enabled = j.getValue("enabled");
        if (!(enabled instanceof Boolean on) || j.size() != 1) {
            throw new BadParam("the body must be {\"enabled\": true} or {\"enabled\": false}");
        }
        // A retry of a lost "on" under its key must not switch the account off again after the developer lifted it
        // meanwhile (nor a lost "off" lift one set since): keyed() answers it the first answer before this runs.
        Span span = step(ctx, "trade-api.kill-switch");
        answer(ctx, account, desk.setKillSwitch(account, on, "developer", traceParent(span, ctx)), span, o ->
                TradeHttp.ok(ctx, 200, remember(ctx, account, 200, new JsonObject().put("kill_switch", on)
                        .put("open_orders", desk.ledger().hasAccount(account) ? desk.ledger().openOrderCount(account) : 0))));
    }

    // ------------------------------------------------------------------ orders

    private void place(RoutingContext ctx) {
        String account = accountOf(ctx);
        String generated = desk.generateClientOrderId();
        OrderRequest req = OrderBodies.newOrder(ctx.body() == null ? null : ctx.body().buffer(), generated);
        String key = idempotencyKey(ctx);
        if (key != null && idempotency.get(account, key, fingerprint(ctx), clock.getAsLong()) != null) {
            // Keys of other mutations (a close, a cancel-all) are kept here, new orders' by the desk: one key, one request.
            TradeHttp.fail(ctx, TradeError.IDEMPOTENCY_KEY_CONFLICT, "Idempotency-Key was used for another request");
            return;
        }
        if (key != null && keysInFlight.contains(account + "\u0000" + key)) {
            ctx.response().putHeader("Retry-After", "1");
            TradeHttp.fail(ctx, TradeError.IDEMPOTENCY_KEY_CONFLICT, "a request with this Idempotency-Key is still"
                    + " being answered; retry after it is");
            return;
        }
        Span span = step(ctx, "trade-api.submit");
        span.setAttribute("opentrade.client_order_id", req.clientOrderId());
        CompletionStage<Outcome> stage = desk.place(account, req, key, !generated.equals(req.clientOrderId()),
                traceParent(span, ctx));
        answer(ctx, account, stage, span, o -> TradeHttp.ok(ctx, o.kind() == Outcome.Kind.CREATED ? 201 : 200,
                TradeJson.orderBuffer(o.order())));
    }

    private String idempotencyKey(RoutingContext ctx) {
        String key = ctx.request().getHeader("Idempotency-Key");
        if (key != null && (key.isEmpty() || key.length() > 128 || !key.matches("[\\x21-\\x7e]+"))) {
            throw new BadParam("Idempotency-Key must be 1 to 128 visible ASCII characters");
        }
        return key;
    }

    /** A mutation other than a new order retried with the same Idempotency-Key: the first answer again. */
    private boolean replayed(RoutingContext ctx, String account) {
        String key = idempotencyKey(ctx);
        if (key == null) {
            return false;
        }
        IdempotencyCache.Answer a = idempotency.get(account, key, fingerprint(ctx), clock.getAsLong());
        if (a == null && desk.placedUnder(account, key)) {
            TradeHttp.fail(ctx, TradeError.IDEMPOTENCY_KEY_CONFLICT, "Idempotency-Key was used for another request (a new"
                    + " order)");
            return true;
        }
        if (a == null) {
            String flying = account + "\u0000" + key;
            if (!keysInFlight.add(flying)) {
                ctx.response().putHeader("Retry-After", "1");
                TradeHttp.fail(ctx, TradeError.IDEMPOTENCY_KEY_CONFLICT, "a request with this Idempotency-Key is still"
                        + " being answered; retry after it is (its answer is then given again)");
                return true;
            }
            // Held until the desk's work ends (done(), when its stage completes), not the answer: a client that gave up
            // closes its connection while the work goes on, and its retry must not run beside it. A request refused
            // before any work starts lets it go when its answer ends.
            ctx.put(KEY_IN_FLIGHT, flying);
            ctx.addEndHandler(end -> {
                if (ctx.get(KEY_WORKING) == null) {
                    keysInFlight.remove(flying);
                }
            });
            return false;
        }
        if (a.conflict()) {
            TradeHttp.fail(ctx, TradeError.IDEMPOTENCY_KEY_CONFLICT, "Idempotency-Key was used for another request");
        } else {
            TradeHttp.ok(ctx, a.status(), a.body().copy());
        }
        return true;
    }

    private JsonObject remember(RoutingContext ctx, String account, int status, JsonObject body) {
        String key = ctx.request().getHeader("Idempotency-Key");
        if (key != null) {
            long now = clock.getAsLong();
            byte[] fingerprint = IdempotencyCache.digest(fingerprint(ctx));
            idempotency.put(account, key, fingerprint, status, body, now);
            String encoded = answers == null ? null : body.encode();
            if (encoded != null && encoded.length() <= MutationAnswers.MAX_BODY_CHARS) {
                answers.record(new MutationAnswers.Answer(account, key, HexFormat.of().formatHex(fingerprint), status,
                        encoded, now));
            }
        }
        return body;
    }

    /**
     * Records every mutation's answer under its Idempotency-Key in {@code store} as well, after refilling the
     * cache with {@code loaded} (what {@link MutationAnswers#load} gave at start): a retry after a restart or a
     * takeover then gets the first answer. Call before {@link #mount}.
     */
    public TradeRoutes answers(MutationAnswers store, List<MutationAnswers.Answer> loaded) {
        for (MutationAnswers.Answer a : loaded) {
            byte[] fingerprint;
            try {
                fingerprint = HexFormat.of().parseHex(a.fingerprint());
            } catch (IllegalArgumentException e) {
                continue; // not ours: a line some other writer left
            }
            idempotency.put(a.account(), a.key(), fingerprint, a.status(), new JsonObject(a.body()), a.at());
        }
        this.answers = store;
        return this;
    }

    /**
     * What a request under an Idempotency-Key is compared by: method, path, query (a cancel-all's {@code ?symbol=}
     * names which orders: without it, a cancel-all of another symbol under the same key was answered 200 with the
     * first one's cancels and canceled nothing) and body.
     */
    private static String fingerprint(RoutingContext ctx) {
        String query = ctx.request().query();
        return ctx.request().method() + " " + ctx.request().path() + (query == null ? "" : "?" + query) + " "
                + (ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString());
    }

    /**
     * Holds the request's Idempotency-Key in flight until {@code handled} (the desk's work for it, then its answer,
     * which remembers it on success) ends, whatever became of the connection meanwhile.
     */
    private void releaseKeyAfter(RoutingContext ctx, CompletionStage<?> handled) {
        String flying = ctx.get(KEY_IN_FLIGHT);
        if (flying != null) {
            ctx.put(KEY_WORKING, Boolean.TRUE);
            handled.whenComplete((r, err) -> keysInFlight.remove(flying));
        }
    }

    private void answer(RoutingContext ctx, String account, CompletionStage<Outcome> stage, Span span,
                        java.util.function.Consumer<Outcome> success) {
        releaseKeyAfter(ctx, stage.whenComplete((o, err) -> {
            span.end();
            if (err != null) {
                TradeHttp.internal(ctx, err);
                return;
            }
            switch (o.kind()) {
                case CREATED, EXISTING, DONE -> success.accept(o);
                case REFUSED -> {
                    if (o.error() == TradeError.ORDER_RATE_EXCEEDED) {
                        ctx.response().putHeader("Retry-After", "1"); // the rate is per second
                    }
                    TradeHttp.fail(ctx, TradeHttp.status(o.error()), o.error().errorNo(), o.message(),
                            o.order() == null ? null : new JsonObject().put("order", TradeJson.order(o.order())));
                }
                case REJECTED -> {
                    int status = o.error() != null ? TradeHttp.status(o.error()) : statusOfExchangeCode(o.exchangeCode());
                    int errorNo = o.error() != null ? o.error().errorNo() : o.exchangeCode();
                    TradeHttp.fail(ctx, status, errorNo, "rejected by the exchange: " + o.message(),
                            o.order() == null ? null : new JsonObject().put("order", TradeJson.order(o.order())));
                }
                case UNKNOWN -> {
                    JsonObject extra = new JsonObject().put("order_status", "unknown");
                    if (o.order() != null) {
                        extra.put("order_id", o.order().orderId()).put("client_order_id", o.order().clientOrderId())
                                .put("lookup", "/v1/orders/by-client-id/" + o.order().clientOrderId());
                    }
                    TradeHttp.fail(ctx, 504, TradeError.STATUS_UNKNOWN.errorNo(), o.message(), extra);
                }
                case BUSY -> {
                    ctx.response().putHeader("Retry-After", "1");
                    TradeHttp.fail(ctx, 503, TradeError.NOT_READY.errorNo(), o.message(), null);
                }
            }
        }));
    }

    private static int statusOfExchangeCode(int code) {
        for (org.opentrade.exchange.model.ResultCode rc : org.opentrade.exchange.model.ResultCode.values()) {
            if (rc.code() == code) {
                return TradeHttp.status(rc);
            }
        }
        return 422;
    }

    private Order ownOrder(RoutingContext ctx, String orderId) {
        String account = accountOf(ctx);
        return desk.ledger().hasAccount(account) && orderId != null && orderId.length() <= 32
                ? desk.ledger().order(account, orderId) : null;
    }

    private void order(RoutingContext ctx) {
        Order o = ownOrder(ctx, ctx.pathParam("order_id"));
        if (o == null) {
            TradeHttp.fail(ctx, TradeError.UNKNOWN_ORDER, "no such order in your account");
            return;
        }
        TradeHttp.ok(ctx, 200, TradeJson.order(o));
    }

    private void orderByClientId(RoutingContext ctx) {
        String account = accountOf(ctx);
        String cid = ctx.pathParam("client_order_id");
        Order o = desk.ledger().hasAccount(account) && cid != null && OrderBodies.CLIENT_ORDER_ID.matcher(cid).matches()
                ? desk.ledger().orderByClientId(account, cid) : null;
        if (o == null) {
            TradeHttp.fail(ctx, TradeError.UNKNOWN_ORDER, "no order with this client_order_id in your account");
            return;
        }
        TradeHttp.ok(ctx, 200, TradeJson.order(o));
    }

    private void replace(RoutingContext ctx) {
        String account = accountOf(ctx);
        Order o = ownOrder(ctx, ctx.pathParam("order_id"));
        if (o == null) {
            TradeHttp.fail(ctx, TradeError.UNKNOWN_ORDER, "no such order in your account");
            return;
        }
        OrderBodies.Replace r = OrderBodies.replace(ctx.body() == null ? null : ctx.body().buffer());
        Span span = step(ctx, "trade-api.replace");
        answer(ctx, account, desk.replace(account, o.orderId(), r.qty(), r.price(), traceParent(span, ctx)), span,
                out -> TradeHttp.ok(ctx, 200, remember(ctx, account, 200, TradeJson.order(out.order()))));
    }

    private void cancel(RoutingContext ctx) {
        String account = accountOf(ctx);
        Order o = ownOrder(ctx, ctx.pathParam("order_id"));
        if (o == null) {
            TradeHttp.fail(ctx, TradeError.UNKNOWN_ORDER, "no such order in your account");
            return;
        }
        Span span = step(ctx, "trade-api.cancel");
        answer(ctx, account, desk.cancel(account, o.orderId(), traceParent(span, ctx)), span,
                out -> TradeHttp.ok(ctx, 200, remember(ctx, account, 200, TradeJson.order(out.order()))));
    }

    private void cancelAll(RoutingContext ctx) {
        String account = accountOf(ctx);
        String symbol = ctx.request().getParam("symbol");
        if (symbol != null && !OrderBodies.SYMBOL.matcher(symbol).matches()) {
            throw new BadParam("symbol must be an instrument code such as 600000.SH");
        }
        if (symbol != null && !desk.knows(symbol) && desk.openOrders(account, symbol, null).isEmpty()) {
            // As a new order of it is refused: answered 200 with no items, "?symbol=600000.sh" (symbols are case
            // sensitive) looked like a cancel-all that found nothing open while every 600000.SH order kept working.
            TradeHttp.fail(ctx, TradeError.UNKNOWN_SYMBOL, "unknown symbol '" + symbol + "' (symbols are case"
                    + " sensitive, such as 600000.SH); nothing was canceled. GET /v1/market/instruments lists them");
            return;
        }
        String rawSide = ctx.request().getParam("side");
        if (rawSide != null && !rawSide.equals("buy") && !rawSide.equals("sell")) {
            throw new BadParam("side must be buy or sell (leave it out for both)");
        }
        org.opentrade.exchange.model.Side side = rawSide == null ? null
                : rawSide.equals("buy") ? org.opentrade.exchange.model.Side.BUY : org.opentrade.exchange.model.Side.SELL;
        Span span = step(ctx, "trade-api.cancel-all");
        answerEach(ctx, account, span, desk.cancelAll(account, symbol, side, traceParent(span, ctx)), o -> {
            JsonObject item = new JsonObject().put("order_id", o.order() == null ? null : o.order().orderId());
            if (o.kind() == Outcome.Kind.DONE) {
                return item.put("status", 200).put("order", TradeJson.order(o.order()));
            }
            return item.put("status", o.kind() == Outcome.Kind.UNKNOWN ? 504 : 409)
                    .put("error_no", o.error() != null ? o.error().errorNo() : o.exchangeCode())
                    .put("error", o.message());
        });
    }

    private void listOrders(RoutingContext ctx) {
        String account = accountOf(ctx);
        String status = ctx.request().getParam("status", "open");
        OrderQuery.StatusFilter filter = switch (status) {
            case "open" -> OrderQuery.StatusFilter.OPEN;
            case "closed" -> OrderQuery.StatusFilter.CLOSED;
            case "all" -> OrderQuery.StatusFilter.ALL;
            default -> throw new BadParam("status must be open, closed or all");
        };
        OrderQuery q = OrderQuery.of(filter);
        String symbol = ctx.request().getParam("symbol");
        if (symbol != null) {
            if (!OrderBodies.SYMBOL.matcher(symbol).matches()) {
                throw new BadParam("symbol must be an instrument code such as 600000.SH");
            }
            q = q.withSymbol(symbol);
        }
        long start = time("start", ctx.request().getParam("start"), 0);
        long end = time("end", ctx.request().getParam("end"), Long.MAX_VALUE);
        if (start >= end) {
            throw new BadParam("start must be before end");
        }
        q = q.withRange(start, end).withLimit(limit(ctx, OrderQuery.DEFAULT_LIMIT, OrderQuery.MAX_LIMIT));
        String cursor = ctx.request().getParam("cursor");
        if (cursor != null) {
            q = q.withCursor(cursor);
        }
        if (symbol != null && refusedAsUnknown(ctx, account, symbol)) {
            return;
        }
        if (!desk.ledger().hasAccount(account)) {
            TradeHttp.ok(ctx, 200, new JsonObject().put("items", new JsonArray()).putNull("next_cursor"));
            return;
        }
        Page<Order> page;
        try {
            page = desk.ledger().orders(account, q);
        } catch (IllegalArgumentException e) {
            throw new BadParam("cursor must be a next_cursor value from a previous page");
        }
        JsonArray items = new JsonArray();
        page.items().forEach(o -> items.add(TradeJson.order(o)));
        TradeHttp.ok(ctx, 200, new JsonObject().put("items", items).put("next_cursor", page.nextCursor()));
    }

    private void fills(RoutingContext ctx) {
        String account = accountOf(ctx);
        int limit = limit(ctx, 100, OrderQuery.MAX_LIMIT);
        if (!desk.ledger().hasAccount(account)) {
            TradeHttp.ok(ctx, 200, new JsonObject().put("items", new JsonArray()).putNull("next_cursor"));
            return;
        }
        Page<Fill> page;
        try {
            page = desk.ledger().fills(account, ctx.request().getParam("cursor"), limit);
        } catch (IllegalArgumentException e) {
            throw new BadParam("cursor must be a next_cursor value from a previous page");
        }
        JsonArray items = new JsonArray();
        page.items().forEach(f -> items.add(TradeJson.fill(f)));
        TradeHttp.ok(ctx, 200, new JsonObject().put("items", items).put("next_cursor", page.nextCursor()));
    }

    private static int limit(RoutingContext ctx, int dflt, int max) {
        String raw = ctx.request().getParam("limit");
        if (raw == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw);
            if (v >= 1 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadParam("limit must be a whole number from 1 to " + max);
    }

    private static long time(String name, String raw, long dflt) {
        if (raw == null || raw.isEmpty()) {
            return dflt;
        }
        if (raw.matches("[0-9]{1,16}")) {
            return Long.parseLong(raw);
        }
        try {
            return org.opentrade.common.json.IsoTimes.parse(raw);
        } catch (java.time.DateTimeException e) {
            throw new BadParam(name + " must be an RFC 3339 time from 1970 to 9999 or epoch milliseconds");
        }
    }

    /** For the order stream's snapshot: the account's open orders as JSON. */
    public List<JsonObject> openOrdersJson(String account) {
        if (!desk.ledger().hasAccount(account)) {
            return List.of();
        }
        return desk.ledger().openOrders(account, null).stream().map(TradeJson::order).toList();
    }
}
