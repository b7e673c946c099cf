package org.opentrade.market.app;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.metrics.RequestStats;
import org.opentrade.common.metrics.RequestStatsHandler;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.client.UniverseFetch;
import org.opentrade.exchange.client.feed.FeedConsumer;
import org.opentrade.exchange.client.feed.FeedConsumerOptions;
import org.opentrade.exchange.client.feed.TruncationPolicy;
import org.opentrade.exchange.client.feed.eventbus.FeedConsumers;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.InstrumentInfo;
import org.opentrade.exchange.model.Universe;
import org.opentrade.market.adapter.history.HistoryWriter;
import org.opentrade.market.adapter.http.AdminRoutes;
import org.opentrade.market.adapter.http.CallerCheck;
import org.opentrade.market.adapter.http.MarketRoutes;
import org.opentrade.market.adapter.http.OperationsRoutes;
import org.opentrade.market.adapter.ws.StreamWiring;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Instrument;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.MarketBoard;
import org.opentrade.market.domain.MarketCalendar;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.port.TimeSeriesStore;

/**
 * market-api as one verticle: the feed consumer, the live state ({@link MarketBoard}), the HTTP
 * server (REST and WebSocket) and the timers all share this verticle's event-loop context, so the
 * live state needs no locks. The store is opened, backfilled and read on worker threads; its writes
 * go through the {@link HistoryWriter}'s own thread.
 *
 * <p>Start-up: the HTTP server listens first (answering 503 -6015 until ready), then the universe
 * is fetched from the exchange (retried until it answers), history is backfilled once, the live
 * state restored from the store up to its checkpoint, the books loaded from the exchange's shard
 * snapshots, and the feed followed from the checkpoint. Ready once every shard is live.
 */
public final class MarketApiService extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(MarketApiService.class.getName());
    private static final long UNIVERSE_RETRY_MS = 1000;

    private final MarketApiConfig config;
    private final Tracing tracing;
    private final CallerCheck callers;
    private final StoreFactory storeFactory;
    private final java.util.function.Supplier<String> adminToken;
    private TimeSeriesStore store;
    private HistoryWriter writer;
    private MarketBoard board;
    private FeedConsumer feed;
    private StreamWiring streams;
    private volatile org.opentrade.market.adapter.http.StoreReads reads;
    private HttpServer server;
    /** The router this service serves; read by {@link #routes()}. */
    private volatile Router router;
    /** Request rates and latencies by route template, for /metrics. */
    private final RequestStats requestStats = new RequestStats("market");
    private long timer = -1;
    private volatile boolean ready;
    /** Instruments of the exchange's universe left out at start ({@link #refusal}). */
    private volatile int refusedInstruments;
    /** Completed when {@link #ready} turns true: the main announces the instance to the gateways then. */
    private final Promise<Void> readyPromise = Promise.promise();
    private volatile String startProblem = "starting";
    private final Map<Integer, Boolean> live = new HashMap<>();

    /** Opens the configured store (on a worker thread). */
    @FunctionalInterface
    public interface StoreFactory {
        TimeSeriesStore open(MarketApiConfig config) throws Exception;
    }

    /**
     * @param tracing    this service's tracing (the all-in-one shares the gateway's span store)
     * @param callers    how the gateway's assertion is verified
     * @param adminToken X-Admin-Token for POST /admin/bars (read per request); empty disables it
     */
    public MarketApiService(MarketApiConfig config, Tracing tracing, CallerCheck callers, StoreFactory storeFactory,
                            java.util.function.Supplier<String> adminToken) {
        this.config = config;
        this.tracing = tracing;
        this.callers = callers;
        this.storeFactory = storeFactory;
        this.adminToken = adminToken;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        this.router = router;
        RequestStatsHandler.mount(router, requestStats);
        OperationsRoutes.mount(router, () -> ready, this::readiness, this::metrics);
        MarketRoutesHolder holder = new MarketRoutesHolder();
        router.route("/v1/*").order(-2000).handler(ctx -> {
            if (holder.routes == null) {
                OperationsRoutes.notReady(ctx, startProblem);
            } else {
                ctx.next();
            }
        });
        HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
                .setIdleTimeout(120).setIdleTimeoutUnit(TimeUnit.SECONDS).setMaxWebSocketFrameSize(65_536)
                .setMaxWebSocketMessageSize(65_536).setMaxHeaderSize(16_384).setMaxInitialLineLength(8_256);
        server = vertx.createHttpServer(options);
        // Listen at once (answering 503 -6015 until ready): opening the store, backfill and catching up
        // happen after, so a host process (the all-in-one) is not held up by them.
        return server.requestHandler(router).listen().onSuccess(srv -> {
            LOG.info("market-api listening on " + config.host() + ":" + srv.actualPort() + " (store " + config.store()
                    + "); opening the store and loading the universe from the exchange");
            initialise(router, holder);
        });
    }

    /** Mutable slot: routes are mounted once the live state exists. */
    private static final class MarketRoutesHolder {
        volatile MarketRoutes routes;
    }

    /**
     * The routes this service serves, operator endpoints included (the contract test compares them with
     * {@code openapi/opentrade.yaml}). Complete once {@link #isReady()}: the API routes are mounted
     * after start-up has loaded the live state; empty before {@link #start()}.
     */
    public List<Route> routes() {
        Router r = router;
        return r == null ? List.of() : r.getRoutes();
    }

    /** The port the HTTP server listens on. */
    public int port() {
        return server.actualPort();
    }

    /** REST requests being served now, WebSocket streams left out: what a graceful stop waits for. */
    public int requestsInFlight() {
        return requestStats.inFlight();
    }

    public boolean isReady() {
        return ready;
    }

    /**
     * Completes once market-api is ready (live on every shard); never fails. Before that its API answers
     * 503 -6015, so gateways that discover instances should not be told of it yet.
     */
    public Future<Void> whenReady() {
        return readyPromise.future();
    }

    /**
     * The last feed seq of {@code shard} applied to the live state (0 before start). Read from any
     * thread: a plain read of a value the market context writes, so it may lag by a moment.
     */
    public long appliedSeq(int shard) {
        MarketBoard b = board;
        return b == null ? 0 : b.applied(shard);
    }

    /** Runs {@code action} on the live state's context (tests: move the board's clock). */
    Future<Void> onBoard(java.util.function.Consumer<MarketBoard> action) {
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        context.runOnContext(v -> {
            action.accept(board);
            done.complete();
        });
        return done.future();
    }

    private void initialise(Router router, MarketRoutesHolder holder) {
        startProblem = "opening the history store";
        vertx.executeBlocking(() -> storeFactory.open(config)).compose(s -> {
            store = s;
            return fetchUniverse();
        }).compose(universe -> {
            MarketCalendar calendar = calendarOf(universe);
            List<Instrument> instruments = new ArrayList<>();
            Map<String, String> refused = new java.util.LinkedHashMap<>();
            for (InstrumentInfo i : universe.instruments()) {
                String why = refusal(i.symbol(), store);
                if (why != null) {
                    refused.put(i.symbol(), why);
                    continue;
                }
                instruments.add(new Instrument(i.symbol(), i.name(), Instrument.boardOf(i.symbol()), i.prevClose(),
                        i.tickSize(), i.boardLot(), i.maxOrderQty(), i.bandPercent(), i.floatShares(), i.eps()));
            }
            refusedInstruments = refused.size();
            if (!refused.isEmpty()) {
                LOG.warning("market-api leaves out " + refused.size() + " instrument(s) of the exchange's universe that"
                        + " it cannot serve with history (no market data for them; their trades are not stored, so they"
                        + " do not hold back their shard's history checkpoint): " + refused);
            }
            Context ctx = context;
            writer = new HistoryWriter(store, config.maxBuffered(), config.maxBatch(), config.flushInterval().toMillis(),
                    (shard, seq) -> board.stored(shard, seq));
            board = new MarketBoard(instruments, calendar, config.recentMinuteBars(), config.recentTrades(), writer,
                    config.depthLevels(), task -> ctx.runOnContext(v -> task.run()));
            startProblem = "backfilling and restoring history";
            return vertx.executeBlocking(() -> HistoryLoader.load(store, board, instruments, calendar, config,
                    System.currentTimeMillis()), false);
        }).compose(loaded -> {
            loaded.applyTo(board);
            startProblem = "loading books from the exchange";
            return ExchangeRequests.shardSnapshots(vertx).map(snapshots -> {
                for (Map.Entry<Integer, ShardBooks> e : snapshots.entrySet()) {
                    long checkpoint = loaded.checkpoints().getOrDefault(e.getKey(), 0L);
                    boolean first = checkpoint == 0;
                    board.startAt(e.getKey(), first ? e.getValue().seq() : checkpoint);
                    board.loadBooks(e.getValue().books(), first);
                }
                return snapshots.size();
            });
        }).compose(shards -> {
            streams = new StreamWiring(vertx, board, new StreamWiring.Options(streamOptions(config),
                    config::maxSubscriptions));
            board.setListener(streams);
            reads = new org.opentrade.market.adapter.http.StoreReads(vertx, config.readThreads(), config.readQueue(),
                    config.readTimeout());
            MarketRoutes routes = new MarketRoutes(board, store, tracing, callers, () -> ready,
                    System::currentTimeMillis, reads);
            routes.mount(router);
            streams.mount(router, callers);
            AdminRoutes.mount(router, vertx, board, store, adminToken, config.maxImportBytes(),
                    System::currentTimeMillis);
            holder.routes = routes;
            feed = FeedConsumers.onEventBus(vertx, new LiveTracking(board, this::shardLive), FeedConsumerOptions.defaults()
                    .withConsumerName(config.feedConsumer()).withTruncation(TruncationPolicy.SNAPSHOT));
            for (int i = 0; i < shards; i++) {
                live.put(i, false);
            }
            feed.start();
            // Bars close on the wall clock less a grace, so a trade stamped just before a minute's end
            // that arrives a little later still lands in that minute (as a rebuild from trades would).
            timer = vertx.setPeriodic(1000, id -> board.onTime(System.currentTimeMillis() - MarketBoard.CLOSE_GRACE_MS));
            startProblem = "catching up with the exchange feed";
            return Future.succeededFuture();
        }).onFailure(err -> {
            startProblem = "start-up failed: " + err.getMessage();
            LOG.log(Level.SEVERE, "market-api could not start its market data", err);
        });
    }

    /**
     * Why market-api cannot serve {@code symbol}, or null: a client can ask only for {@link Instrument#SYMBOL}s,
     * and the store must hold its history ({@link TimeSeriesStore#refusal}). Such an instrument served anyway
     * had its trades refused by the store at every start, which froze its shard's checkpoint for good.
     */
    static String refusal(String symbol, TimeSeriesStore store) {
        if (symbol == null || !Instrument.SYMBOL.matcher(symbol).matches()) {
            return "not a symbol clients can ask for (" + Instrument.SYMBOL.pattern() + ")";
        }
        return store.refusal(symbol);
    }

    private void shardLive(int shard) {
        live.put(shard, true);
        if (!ready && !live.containsValue(false)) {
            ready = true;
            startProblem = null;
            readyPromise.tryComplete();
            LOG.info("market-api ready: live on " + live.size() + " shard(s)");
        }
    }

    private Future<Universe> fetchUniverse() {
        return UniverseFetch.fetch(vertx, UNIVERSE_RETRY_MS, reason -> startProblem = reason, "market-api");
    }

    static org.opentrade.market.adapter.ws.StreamOptions streamOptions(MarketApiConfig c) {
        return org.opentrade.market.adapter.ws.StreamOptions.defaults()
                .withHeartbeatIntervalMs(c.heartbeat().toMillis())
                .withRetention(new org.opentrade.market.domain.stream.RetentionOptions(c.retentionMessages(),
                        c.retentionAge().toMillis()))
                .withSlowConsumer((int) c.writeQueueBytes(), c.slowConsumerGrace().toMillis());
    }

    static MarketCalendar calendarOf(Universe u) {
        MarketCalendar.Kind kind = "a-share".equals(u.calendar()) ? MarketCalendar.Kind.A_SHARE
                : MarketCalendar.Kind.CONTINUOUS;
        return new MarketCalendar(kind, ZoneId.of(u.zone()), LocalTime.parse(u.dayEnd()), java.util.Set.copyOf(u.holidays()));
    }

    private JsonObject readiness() {
        JsonObject j = new JsonObject().put("ready", ready);
        if (startProblem != null) {
            j.put("reason", startProblem);
        }
        if (!ready && feed != null) {
            // Why the feed is not live yet: e.g. this service's state is ahead of an exchange whose data was reset.
            j.put("feed", new io.vertx.core.json.JsonArray(feed.stats().stream()
                    .filter(s -> s.state() != org.opentrade.exchange.client.feed.ShardState.LIVE)
                    .map(org.opentrade.exchange.client.feed.ShardStats::describe).toList()));
        }
        if (writer != null) {
            j.put("history_store", writer.healthy() ? "up" : "down (buffering)");
        }
        return j;
    }

    /** Prometheus text of market-api's own figures. */
    public String metrics() {
        StringBuilder sb = new StringBuilder();
        gauge(sb, "market_ready", ready ? 1 : 0);
        gauge(sb, "market_universe_refused", refusedInstruments);
        if (board != null) {
            gauge(sb, "market_feed_events_applied_total", board.eventsApplied());
            gauge(sb, "market_trades_applied_total", board.tradesApplied());
        }
        if (writer != null) {
            gauge(sb, "market_history_written_total", writer.written());
            gauge(sb, "market_history_buffered", writer.buffered());
            gauge(sb, "market_history_dropped_total", writer.dropped());
            gauge(sb, "market_history_store_failures_total", writer.failures());
            gauge(sb, "market_history_rejected_total", writer.rejected());
            gauge(sb, "market_history_store_up", writer.healthy() ? 1 : 0);
        }
        if (reads != null) {
            gauge(sb, "market_history_reads_in_flight", reads.inFlight());
            gauge(sb, "market_history_reads_refused_total", reads.refusedReads());
        }
        if (streams != null) {
            streams.metrics(sb);
        }
        if (feed != null) {
            feed.stats().forEach(s -> {
                gauge(sb, "market_feed_lag{shard=\"" + s.shard() + "\"}", s.lag());
                gauge(sb, "market_feed_applied_seq{shard=\"" + s.shard() + "\"}", appliedSeq(s.shard()));
            });
        }
        sb.append(requestStats.prometheus());
        return sb.toString();
    }

    static void gauge(StringBuilder sb, String name, long value) {
        sb.append(name).append(' ').append(value).append('\n');
    }

    @Override
    public Future<?> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (feed != null) {
            feed.stop();
        }
        if (streams != null) {
            streams.close();
        }
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        if (reads != null) {
            closed = closed.eventually(() -> reads.close());
        }
        return closed.compose(v -> vertx.executeBlocking(() -> {
            if (writer != null) {
                writer.close();
            }
            if (store != null) {
                store.close();
            }
            return null;
        }));
    }

    /** Books of one shard at one seq. */
    record ShardBooks(long seq, List<BookSnapshot> books) {
    }
}
