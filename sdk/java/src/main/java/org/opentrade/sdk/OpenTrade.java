package org.opentrade.sdk;

import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import org.opentrade.sdk.api.DevelopersApi;
import org.opentrade.sdk.api.KeysApi;
import org.opentrade.sdk.api.MarketApi;
import org.opentrade.sdk.api.MeteringApi;
import org.opentrade.sdk.api.TracesApi;
import org.opentrade.sdk.api.TradingApi;
import org.opentrade.sdk.invoker.ApiClient;
import org.opentrade.sdk.invoker.ApiException;
import org.opentrade.sdk.model.Bar;
import org.opentrade.sdk.model.Fill;
import org.opentrade.sdk.model.KlineInterval;
import org.opentrade.sdk.model.Order;
import org.opentrade.sdk.model.OrderCreate;
import org.opentrade.sdk.model.OrderReplace;
import org.opentrade.sdk.model.OrderReplacePrice;
import org.opentrade.sdk.model.Session;
import org.opentrade.sdk.model.SessionCreate;
import org.opentrade.sdk.model.Trade;
import org.opentrade.sdk.stream.StreamClient;

/**
 * The entry point a quant reaches for first: one client per base URL and credentials, with the
 * generated API classes underneath ({@link #market()}, {@link #trading()}, ...) and the calls that
 * need care on top: {@link #placeOrder} (always idempotent, resolved by client id after a timeout),
 * cancel and replace with idempotency keys, paged iterators, and the resumable streams.
 *
 * <pre>{@code
 * OpenTrade ot = OpenTrade.builder().baseUrl("http://localhost:8080")
 *         .credentials(Credentials.secretKey(keyId, secret)).build();
 * Order o = ot.placeOrder(new OrderCreate().symbol("600000.SH").side(OrderSide.BUY)
 *         .type(OrderType.LIMIT).qty(100L).price(new OrderCreatePrice("10.50")));
 * }</pre>
 *
 * <p>Thread-safe: share one instance. Calls block the calling thread (retries included).
 */
public final class OpenTrade {
    /** Rounds of "place, then look up by client id" before {@link OrderStatusUnknownException}. */
    static final int PLACEMENT_ROUNDS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final Builder settings;
    private final String baseUrl;
    private final String streamBaseUrl;
    private final Credentials credentials;
    private final ApiClient apiClient;
    private final MarketApi market;
    private final TradingApi trading;

    private OpenTrade(Builder b) {
        this.settings = b.copy();
        this.baseUrl = b.baseUrl;
        this.streamBaseUrl = b.streamBaseUrl != null ? b.streamBaseUrl : b.baseUrl;
        this.credentials = b.credentials;
        // HTTP/1.1: the JDK would otherwise offer an h2c upgrade on every plain-http request.
        HttpClient http = new SigningHttpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout).build(),
                b.credentials, b.retryPolicy, b.retryListener);
        this.apiClient = new ApiClient(new FixedClientBuilder(http), ClosedShapes.mapper(), b.baseUrl);
        this.apiClient.setReadTimeout(b.requestTimeout);
        this.market = new MarketApi(apiClient);
        this.trading = new TradingApi(apiClient);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with this client's settings. */
    public Builder toBuilder() {
        return settings.copy();
    }

    /**
     * Logs in ({@code POST /v1/sessions}) and returns a client on the session; it expires after 15
     * minutes (-2011, an {@link AuthenticationException}): log in again.
     */
    public static OpenTrade login(String baseUrl, String email, String password) {
        OpenTrade anonymous = builder().baseUrl(baseUrl).build();
        Session s = anonymous.call(() -> anonymous.developers().createSession(new SessionCreate().email(email).password(password)));
        return builder().baseUrl(baseUrl).credentials(Credentials.session(s.getToken())).build();
    }

    /**
     * A client on a new token of this client's session ({@code POST /v1/sessions/refresh}), valid another 15
     * minutes but never past 12 hours from the log-in (then -2011, an {@link AuthenticationException}: log in
     * again). Only for a client from {@link #login}; this client's token stays valid until it expires.
     */
    public OpenTrade refreshSession() {
        Session s = call(() -> developers().refreshSession());
        return withCredentials(Credentials.session(s.getToken()));
    }

    /** A client with the same settings and other credentials (e.g. a new key after log-in). */
    public OpenTrade withCredentials(Credentials other) {
        return toBuilder().credentials(other).build();
    }

    // ---------------------------------------------------------------- the generated API classes

    public MarketApi market() {
        return market;
    }

    public TradingApi trading() {
        return trading;
    }

    public KeysApi keys() {
        return new KeysApi(apiClient);
    }

    public DevelopersApi developers() {
        return new DevelopersApi(apiClient);
    }

    public MeteringApi metering() {
        return new MeteringApi(apiClient);
    }

    public TracesApi traces() {
        return new TracesApi(apiClient);
    }

    /** The generated client underneath, for settings this facade does not expose. */
    public ApiClient apiClient() {
        return apiClient;
    }

    /** A generated call, its checked {@link ApiException} typed as an {@link OpenTradeException}. */
    @FunctionalInterface
    public interface ApiCall<T> {
        T call() throws ApiException;
    }

    /** Runs a generated call; failures are thrown typed by {@code error_no} ({@link OpenTradeException#from}). */
    public <T> T call(ApiCall<T> call) {
        try {
            return call.call();
        } catch (ApiException e) {
            throw OpenTradeException.from(e);
        }
    }

    // ---------------------------------------------------------------- orders

    /**
     * Places an order, exactly once. It always carries a {@code client_order_id} (one is generated
     * when the order has none, on a copy: {@code order} is not changed, so a template placed twice is two
     * orders; the returned {@link Order} has the id) and sends it as {@code Idempotency-Key} too, so every
     * retry is safe.
     * When an attempt times out or answers 5xx, the order's real status is looked up by that client id
     * instead of guessed: found, it is returned; not found, the same placement is sent again. A
     * refusal (4xx) is thrown at once.
     *
     * @throws OrderRejectedException and the other {@link OpenTradeException}s for refusals
     * @throws OrderStatusUnknownException when neither placement nor look-up got an answer
     */
    public Order placeOrder(OrderCreate order) {
        Objects.requireNonNull(order, "order");
        if (order.getClientOrderId() == null) {
            // A copy: the caller's order stays without an id, so placing it again is another order (writing the
            // id into it made a reused template's second placement a replay of the first: one order, no error).
            order = withClientOrderId(order, newClientOrderId());
        }
        String clientOrderId = order.getClientOrderId();
        OpenTradeException last = null;
        for (int round = 1; round <= PLACEMENT_ROUNDS; round++) {
            try {
                return trading.placeOrder(order, clientOrderId);
            } catch (ApiException e) {
                last = OpenTradeException.from(e);
                if (!outcomeUnknown(last)) {
                    throw last;
                }
            }
            try {
                return trading.getOrderByClientId(clientOrderId);
            } catch (ApiException e) {
                OpenTradeException lookup = OpenTradeException.from(e);
                if (lookup.httpStatus() != 404) {
                    last = lookup; // the look-up failed too: try both again
                }
                // 404: the placement never arrived; sending it again under the same id is safe.
            }
        }
        throw new OrderStatusUnknownException(clientOrderId, last);
    }

    /** {@code order} with {@code clientOrderId}, as a new object: every field of the model copied. */
    static OrderCreate withClientOrderId(OrderCreate order, String clientOrderId) {
        return new OrderCreate().clientOrderId(clientOrderId).symbol(order.getSymbol()).side(order.getSide())
                .type(order.getType()).timeInForce(order.getTimeInForce()).qty(order.getQty()).price(order.getPrice())
                .stopPrice(order.getStopPrice());
    }

    /** A failure after which the order may or may not exist: no answer, an unreadable answer, or a 5xx. */
    static boolean outcomeUnknown(OpenTradeException e) {
        return e instanceof ConnectionException || e instanceof UnexpectedResponseException || e.httpStatus() >= 500
                || stillRunning(e);
    }

    /** 409 -4115 with {@code Retry-After}: the request's first attempt, under the same key, is still being answered. */
    static boolean stillRunning(OpenTradeException e) {
        return e.httpStatus() == 409 && e.errorNo() == -4115 && e.retryAfter().isPresent();
    }

    /** Cancels an order; retried safely under one {@code Idempotency-Key}. */
    public Order cancelOrder(String orderId) {
        String key = "cancel-" + newClientOrderId();
        return call(() -> trading.cancelOrder(orderId, key));
    }

    /**
     * Replaces an order in place: {@code qty} the new total quantity, {@code price} the new limit
     * price (either may be null, not both); retried safely under one {@code Idempotency-Key}.
     */
    public Order replaceOrder(String orderId, Long qty, String price) {
        OrderReplace change = new OrderReplace().qty(qty);
        if (price != null) {
            change.price(new OrderReplacePrice(price));
        }
        String key = "replace-" + newClientOrderId();
        return call(() -> trading.replaceOrder(orderId, change, key));
    }

    /**
     * Closes the position in {@code symbol}: a market sell (IOC) of its sellable shares, or {@code qty} of them
     * (null: all). Retried safely under one {@code Idempotency-Key}, from which trade-api derives the sell's client
     * order id, so a retry answers the first sell and never sells twice.
     */
    public Order closePosition(String symbol, Long qty) {
        return closePosition(symbol, qty, null, false);
    }

    /**
     * As {@link #closePosition(String, Long)}, with {@code percentage} of the position instead of a quantity (e.g.
     * {@code "50"}: half of it rounded down to whole board lots; null with a null {@code qty}: all that is
     * sellable), and {@code cancelOrders} cancelling the symbol's open sell orders first, so the shares they hold
     * are sold too.
     */
    public Order closePosition(String symbol, Long qty, String percentage, boolean cancelOrders) {
        String key = "close-" + newClientOrderId();
        try {
            return trading.closePosition(symbol, qty, percentage, cancelOrders ? Boolean.TRUE : null, key);
        } catch (ApiException e) {
            OpenTradeException err = OpenTradeException.from(e);
            if (stillRunning(err)) {
                // the first attempt's sell is still running after every retry's wait: not a refusal (its key
                // answers it later; calling again under a new key would sell again)
                throw new OrderStatusUnknownException(key, err);
            }
            throw err;
        }
    }

    /** The account's orders ({@code status} open, closed or all; {@code symbol} may be null), page by page. */
    public Iterable<Order> orders(String status, String symbol) {
        return new Pages<>(cursor -> {
            var page = call(() -> trading.listOrders(status, symbol, null, null, 500, cursor));
            return new Pages.Page<>(page.getItems(), page.getNextCursor());
        });
    }

    /** The account's fills, newest first, page by page. */
    public Iterable<Fill> fills() {
        return new Pages<>(cursor -> {
            var page = call(() -> trading.listFills(500, cursor));
            return new Pages.Page<>(page.getItems(), page.getNextCursor());
        });
    }

    /** A symbol's trades between {@code start} and {@code end} (RFC 3339 or epoch ms; null: open), newest first. */
    public Iterable<Trade> trades(String symbol, String start, String end) {
        return new Pages<>(cursor -> {
            var page = call(() -> market.getTrades(symbol, start, end, 1000, cursor));
            return new Pages.Page<>(page.getItems(), page.getNextCursor());
        });
    }

    /** A symbol's bars of one interval between {@code start} and {@code end}, page by page. */
    public Iterable<Bar> bars(String symbol, KlineInterval interval, String start, String end) {
        return new Pages<>(cursor -> {
            var page = call(() -> market.getKlines(symbol, interval, start, end, 1000, cursor));
            return new Pages.Page<>(page.getBars(), page.getNextCursor());
        });
    }

    // ---------------------------------------------------------------- streams

    /** A builder for the order-update stream ({@code /v1/stream/orders}, channel {@code orders}). */
    public StreamClient.Builder orderStream() {
        return StreamClient.builder(streamBaseUrl, "/v1/stream/orders", credentials).channels("orders");
    }

    /** A builder for the market stream ({@code /v1/stream/market}) on the given channels, e.g. {@code trades:600000.SH}. */
    public StreamClient.Builder marketStream(String... channels) {
        return StreamClient.builder(streamBaseUrl, "/v1/stream/market", credentials).channels(channels);
    }

    /** A client order id: {@code sdk-} and 24 random base-36 characters (within the contract's 48). */
    public static String newClientOrderId() {
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[RANDOM.nextInt(ID_CHARS.length)];
        }
        return "sdk-" + new String(id);
    }

    /** Settings of an {@link OpenTrade}; each has a default. */
    public static final class Builder {
        private String baseUrl = "http://localhost:8080";
        private String streamBaseUrl;
        private Credentials credentials = Credentials.none();
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private RetryListener retryListener = RetryListener.NONE;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(5);

        /** The gateway's URL, e.g. {@code http://localhost:8080} (default). */
        public Builder baseUrl(String url) {
            this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            return this;
        }

        /** Where the WebSocket streams are, when not at {@link #baseUrl} (e.g. behind another proxy). */
        public Builder streamBaseUrl(String url) {
            this.streamBaseUrl = url == null ? null : url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            return this;
        }

        public Builder credentials(Credentials c) {
            this.credentials = Objects.requireNonNull(c, "credentials");
            return this;
        }

        /** Retries of requests safe to repeat (default {@link RetryPolicy#DEFAULT}). */
        public Builder retryPolicy(RetryPolicy p) {
            this.retryPolicy = Objects.requireNonNull(p, "retryPolicy");
            return this;
        }

        /** Told of each retry (default: nobody). */
        public Builder onRetry(RetryListener l) {
            this.retryListener = Objects.requireNonNull(l, "retryListener");
            return this;
        }

        /** How long one attempt waits for its answer (default 10 s; the gateway gives up at 5 s with 504). */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = Objects.requireNonNull(d, "requestTimeout");
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Objects.requireNonNull(d, "connectTimeout");
            return this;
        }

        Builder copy() {
            Builder c = new Builder();
            c.baseUrl = baseUrl;
            c.streamBaseUrl = streamBaseUrl;
            c.credentials = credentials;
            c.retryPolicy = retryPolicy;
            c.retryListener = retryListener;
            c.requestTimeout = requestTimeout;
            c.connectTimeout = connectTimeout;
            return c;
        }

        public OpenTrade build() {
            return new OpenTrade(this);
        }
    }
}
