package org.opentrade.trade.app;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.DataInputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.common.web.AnswerEnd;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.client.UniverseFetch;
import org.opentrade.exchange.client.feed.FeedConsumer;
import org.opentrade.exchange.client.feed.FeedConsumerOptions;
import org.opentrade.exchange.client.feed.FeedHandler;
import org.opentrade.exchange.client.feed.TruncationPolicy;
import org.opentrade.exchange.client.feed.eventbus.FeedConsumers;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.InstrumentInfo;
import org.opentrade.exchange.model.Universe;
import org.opentrade.trade.adapter.file.FileMutationAnswers;
import org.opentrade.trade.adapter.redis.RedisMutationAnswers;
import org.opentrade.trade.port.MutationAnswers;
import org.opentrade.trade.adapter.eventbus.EventBusExchange;
import org.opentrade.trade.adapter.eventbus.EventBusKeyAuthenticator;
import org.opentrade.trade.adapter.file.FileIntentStore;
import org.opentrade.trade.adapter.fix.FixAcceptor;
import org.opentrade.trade.adapter.fix.FixAcceptorOptions;
import org.opentrade.trade.adapter.fix.SessionOwners;
import org.opentrade.trade.adapter.fix.FixBooks;
import org.opentrade.trade.adapter.file.FileIntentStoreOptions;
import org.opentrade.trade.adapter.file.FileSnapshotStore;
import org.opentrade.trade.adapter.file.FileStreamJournal;
import org.opentrade.trade.adapter.redis.RedisIntentStore;
import org.opentrade.trade.adapter.redis.MirroredStreamJournal;
import org.opentrade.trade.adapter.redis.RedisFixSessions;
import org.opentrade.trade.adapter.redis.RedisSessionOwners;
import org.opentrade.trade.adapter.redis.RedisSnapshotStore;
import org.opentrade.trade.adapter.redis.RedisStreamJournal;
import org.opentrade.trade.adapter.redis.TradeRedis;
import org.opentrade.trade.adapter.file.FsyncPolicy;
import org.opentrade.trade.adapter.http.AdminRoutes;
import org.opentrade.trade.adapter.http.Caller;
import org.opentrade.common.discovery.Partitions;
import org.opentrade.trade.adapter.http.CallerCheck;
import org.opentrade.common.metrics.RequestStats;
import org.opentrade.common.metrics.RequestStatsHandler;
import org.opentrade.trade.adapter.http.OperationsRoutes;
import org.opentrade.trade.adapter.http.TradeHttp;
import org.opentrade.trade.adapter.http.TradeRoutes;
import org.opentrade.trade.adapter.json.TradeJson;
import org.opentrade.trade.adapter.ws.AccountSource;
import org.opentrade.trade.adapter.ws.OrderStreamOptions;
import org.opentrade.trade.adapter.ws.OrderStreams;
import org.opentrade.trade.adapter.ws.StreamCaller;
import org.opentrade.trade.domain.desk.MarketTracker;
import org.opentrade.trade.domain.desk.TradeDesk;
import org.opentrade.trade.domain.TradeError;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.domain.ledger.Ledger;
import org.opentrade.trade.domain.ledger.LedgerOptions;
import org.opentrade.trade.domain.risk.RiskChecks;
import org.opentrade.trade.domain.risk.RiskOptions;
import org.opentrade.trade.domain.stream.RetentionOptions;
import org.opentrade.trade.port.IntentStore;
import org.opentrade.trade.port.KeyAuthenticator;
import org.opentrade.trade.port.SnapshotStore;
import org.opentrade.trade.port.StreamJournal;

/**
 * trade-api as one verticle: the feed consumer, the {@link TradeDesk} with its ledger, the HTTP
 * server (REST and the order stream) and the timers share this verticle's event-loop context. The
 * intent log writes on its own thread; snapshots are written on workers.
 *
 * <p>Start-up: listen (503 -9001 until ready); open the intent log and the latest snapshot; learn
 * the universe from the exchange; restore the ledger from the snapshot and replay the later intents;
 * load reference prices from the exchange's shard snapshots; follow the feed from the snapshot's
 * positions (ALARM: fills cannot be rebuilt from a book, so a feed that no longer has our events stops
 * with an alarm instead of guessing). Once live on every shard: logged orders that never reached the
 * exchange are sent, and trade-api is ready.
 */
public final class TradeApiService extends VerticleBase {
    /**
     * How long this process's claim on its instance's Redis key space outlives its last renewal (renewed every
     * quarter of it): the wait of a restart on another host after a crash, and the longest pause a process
     * survives without losing the claim.
     */
    static final Duration INSTANCE_LEASE_TTL = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(TradeApiService.class.getName());

    private final TradeApiConfig config;
    private final Tracing tracing;
    private final CallerCheck callers;
    private final Supplier<String> adminToken;
    private HttpServer server;
    /** The router this service serves; read by {@link #routes()}. */
    private volatile Router router;
    private IntentStore intents;
    /** When the intent log may be pruned (below the oldest snapshot kept, past the retention). */
    private IntentPruning pruning;
    /** The index the intent log was last pruned through (0: never); /metrics reads it. */
    private volatile long prunedThrough;
    private SnapshotStore snapshots;
    /** What the order stream sent, across restarts (local files under data_dir/streams, whatever the store). */
    private StreamJournal streamJournal;
    private StreamJournal.Recorded streamsRecorded;
    /** The answers of mutations under an Idempotency-Key, beside the intents; and those loaded at start. */
    private MutationAnswers mutationAnswers;
    private List<MutationAnswers.Answer> answersLoaded = List.of();
    /** The Redis connection of the Redis stores (null with the file store); closed after them. */
    private volatile TradeRedis redis;
    /** How often a standby whose Redis is down tries again. */
    static final Duration STANDBY_RETRY = Duration.ofSeconds(1);
    /** The thread of a standby waiting for its instance's claim; null when not standing by. */
    private volatile Thread standbyThread;
    private TradeDesk desk;
    private FeedConsumer feed;
    private OrderStreams streams;
    private long snapshotTimer = -1;
    private long settleTimer = -1;
    /** Request rates and latencies by route template, for /metrics. */
    private final RequestStats requestStats = new RequestStats("trade");
    /** How often unanswered new orders are checked, and how long after the unknown answer a barrier is asked. */
    private static final long SETTLE_EVERY_MS = 500;
    private static final long SETTLE_AFTER_MS = 1_000;
    private volatile boolean ready;
    /** Completed when {@link #ready} turns true: the main announces the instance to the gateways then. */
    private final Promise<Void> readyPromise = Promise.promise();
    private volatile String startProblem = "starting";
    private final Map<Integer, Long> durablePositions = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, Boolean> live = new HashMap<>();
    /** Wraps the intent store the config chooses (tests: to hold back its durability acknowledgements). */
    private java.util.function.UnaryOperator<IntentStore> intentStoreDecorator = java.util.function.UnaryOperator.identity();
    /** The intent index of the last snapshot this process stored, and when (0: none yet); /metrics reads them. */
    private volatile long lastSnapshotIndex;
    private volatile long lastSnapshotAtMs;
    /** The periodic snapshot being stored, else null. */
    private Future<Void> snapshotInFlight;
    /** The FIX acceptor once started (config {@code fix.enabled}), else null. */
    private volatile FixAcceptor fix;
    /** The FIX acceptor being built while trade-api catches up (null: FIX off); see {@link #prepareFix}. */
    private Future<FixAcceptor> fixPrepared;
    /** FIX market data's book replicas (fix enabled), fed every feed event on this context; else null. */
    private FixBooks fixBooks;
    /** Checks FIX Logon credentials; the gateway's over the event bus unless a test sets one. */
    private KeyAuthenticator keys;

    public TradeApiService(TradeApiConfig config, Tracing tracing, CallerCheck callers, Supplier<String> adminToken) {
        this.config = config;
        this.tracing = tracing;
        this.callers = callers;
        this.adminToken = adminToken;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        this.router = router;
        RequestStatsHandler.mount(router, requestStats);
        // A failed intent store does not come back by itself (see TradeDesk#storeFailure): not ready, and
        // not healthy either, so a supervisor restarts trade-api (which re-reads the log) once the store is back.
        OperationsRoutes.mount(router, () -> storeFailure() == null, () -> ready && storeFailure() == null,
                this::readiness, this::metrics);
        router.route("/v1/*").order(-2000).handler(ctx -> {
            if (desk == null) {
                OperationsRoutes.notReady(ctx, startProblem);
            } else {
                ctx.next();
            }
        });
        // WebSocket frames up to what the gateway forwards (64 KiB, its pools' default) reach the order stream, which
        // answers one over 4 KiB with a -1001 error frame and keeps the connection (the contract); with 16 KiB here a
        // 20 KB frame broke the connection below the stream, and the client got 1011 "trade-api connection failed".
        HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
                .setIdleTimeout(120).setIdleTimeoutUnit(TimeUnit.SECONDS).setMaxWebSocketFrameSize(65_536)
                .setMaxWebSocketMessageSize(65_536).setMaxHeaderSize(16_384).setMaxInitialLineLength(8_256);
        server = vertx.createHttpServer(options);
        return server.requestHandler(router).listen().onSuccess(srv -> {
            LOG.info("trade-api listening on " + config.host() + ":" + srv.actualPort() + "; opening its intent log");
            initialise(router);
        });
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

    public int port() {
        return server.actualPort();
    }

    /** REST requests being served now, WebSocket streams left out: what a graceful stop waits for. */
    public int requestsInFlight() {
        return requestStats.inFlight();
    }

    /** Uses {@code authenticator} for FIX Logons instead of the gateway's (call before deploying). */
    public TradeApiService withKeyAuthenticator(KeyAuthenticator authenticator) {
        this.keys = authenticator;
        return this;
    }

    /** The FIX acceptor, or null when {@code fix.enabled} is off or trade-api is not ready yet. */
    public TradeApiConfig tradeConfig() {
        return config;
    }

    public FixAcceptor fixAcceptor() {
        return fix;
    }

    public boolean isReady() {
        return ready;
    }

    /**
     * Completes once trade-api is ready (caught up with the exchange on every shard); never fails. Before
     * that its API answers 503 -9001, so gateways that discover instances should not be told of it yet.
     */
    public Future<Void> whenReady() {
        return readyPromise.future();
    }

    /** The verticle's context: the desk's thread. */
    public io.vertx.core.Context context() {
        return context;
    }

    /** The desk (tests: state hash, positions). Read on the trade context. */
    public TradeDesk desk() {
        return desk;
    }

    private void initialise(Router router) {
        boolean standby = config.store().standby();
        startProblem = standby ? "standing by: another process holds instance " + config.store().instanceId()
                + "; this one takes over when it dies" : "opening the intent log";
        (standby ? waitForClaim() : Future.<Void>succeededFuture()).compose(claimed -> vertx.executeBlocking(() -> {
            startProblem = "opening the intent log";
            openStores();
            // Redis: also beside the intents, so a process of this instance on any host resumes its order streams;
            // the files go on from where they are newer (this host, across a Redis outage too).
            FileStreamJournal files = new FileStreamJournal(config.dataDir().resolve("streams"));
            streamJournal = config.store().backend() == TradeApiConfig.StoreBackend.REDIS
                    ? new MirroredStreamJournal(files, new RedisStreamJournal(redis)) : files;
            streamsRecorded = streamJournal.load();
            mutationAnswers = config.store().backend() == TradeApiConfig.StoreBackend.REDIS
                    ? new RedisMutationAnswers(redis) : new FileMutationAnswers(config.dataDir().resolve("mutation-answers.log"));
            answersLoaded = mutationAnswers.load(System.currentTimeMillis());
            return snapshots.latest();
        })).compose(latest -> fetchUniverse().map(u -> Map.entry(u, latest))).compose(e -> {
            Universe universe = e.getKey();
            Optional<SnapshotStore.Snapshot> latest = e.getValue();
            LongFunction<String> tradingDay = tradingDayOf(universe);
            boolean tPlusOne = config.tPlusOne() == TradeApiConfig.TPlusOne.ON
                    || config.tPlusOne() == TradeApiConfig.TPlusOne.AUTO && "a-share".equals(universe.calendar());
            LedgerOptions ledgerOptions = new LedgerOptions(config.fees(), LedgerOptions.DEFAULT_FEE_BILLING, tPlusOne,
                    config.startingBalance(), tradingDay, config.historyKept());
            MarketTracker market = new MarketTracker(tradingDay);
            Map<String, InstrumentInfo> infos = new HashMap<>();
            for (InstrumentInfo i : universe.instruments()) {
                infos.put(i.symbol(), i);
                market.seed(i.symbol(), i.prevClose());
            }
            fixBooks = config.fix().enabled() ? new FixBooks(universe.instruments(), universe.tradingCalendar()) : null;
            RiskChecks risk = new RiskChecks(new RiskOptions(config.maxOrderQty(), config.maxOrderNotional(),
                    config.maxOpenOrders(), config.maxOrdersPerSecond(), RiskOptions.DEFAULT_MARKET_BUY_COLLAR_BP,
                    RiskOptions.DEFAULT_MAX_ACCOUNTS_TRACKED), config.fees());
            io.vertx.core.Context ctx = context;
            final TradeDesk[] made = new TradeDesk[1];
            Ledger ledger = latest.isEmpty() ? new Ledger(ledgerOptions)
                    : TradeDesk.readLedger(latest.get().ledgerBytes(), ledgerOptions, in -> {
                    });
            Ledger.HistoryStats cut = ledger.historyStats();
            if (cut.ordersDropped() > 0 || cut.fillsDropped() > 0) { // the snapshot kept more than the bound allows now
                LOG.warning("accounts.history_kept (" + config.historyKept() + ") was lowered: dropped at start, per"
                        + " account, the orders closed first and the oldest fills beyond it (" + cut.ordersDropped()
                        + " order(s), " + cut.fillsDropped() + " fill(s) in all); they are gone, raising it again does"
                        + " not bring them back");
            }
            TradeDesk d = new TradeDesk(ledger, risk, intents, new EventBusExchange(vertx, config.commandTimeout().toMillis()),
                    task -> ctx.runOnContext(v -> task.run()), System::currentTimeMillis, infos, market);
            made[0] = d;
            long fromIndex = 0;
            if (latest.isPresent()) {
                byte[] bytes = latest.get().ledgerBytes();
                TradeDesk.readLedger(bytes, ledgerOptions, in -> d.restoreExtras(in, latest.get().intentIndex()));
                fromIndex = latest.get().intentIndex();
                durablePositions.putAll(latest.get().feedPositions());
            }
            long after = fromIndex;
            startProblem = "replaying intents";
            return vertx.executeBlocking(() -> {
                List<Intent> list = new java.util.ArrayList<>();
                intents.replay(after, list::add);
                return list;
            }).map(list -> {
                // The stream first: the replay's updates go through it (those sent before the stop are not sent again).
                openStreams(d, latest.orElse(null));
                list.forEach(d::replay);
                LOG.info("trade-api restored " + ledger.accountIds().size() + " account(s): snapshot at intent " + after
                        + ", " + list.size() + " intent(s) replayed");
                return d;
            });
        }).compose(d -> loadMarks(d).map(d)).compose(d -> {
            desk = d;
            new TradeRoutes(d, tracing, callers, () -> ready, System::currentTimeMillis, config.maxBodyBytes(),
                    config.startingBalance()).servingPartition(config.store().partitions(), config.store().instanceId())
                    .answers(mutationAnswers, answersLoaded)
                    .mount(router);
            answersLoaded = List.of();
            router.get("/v1/stream/orders").handler(rc -> {
                if (!ready) {
                    // The snapshot and updates a stream sends come from the caught-up state only.
                    TradeHttp.fail(rc, TradeError.NOT_READY, "trading is starting (catching up with the exchange);"
                            + " reconnect in a few seconds");
                    return;
                }
                Boolean cod = TradeRoutes.cancelOnDisconnect(rc);
                if (cod == null) {
                    return;
                }
                Caller caller = rc.get("caller");
                String traceId = rc.get("traceId");
                rc.request().toWebSocket().onSuccess(ws -> {
                    AnswerEnd.upgraded(rc, 101, true); // its answer never ends: the request ends as the stream opens
                    streams.accept(ws, new StreamCaller(caller.developerId(), caller.keyId(), traceId, cod));
                });
            });
            AdminRoutes.mount(router, d, adminToken);
            startProblem = "catching up with the exchange feed";
            feed = FeedConsumers.onEventBus(vertx, new TradeFeed(), FeedConsumerOptions.defaults()
                    .withConsumerName(feedConsumerName(config.store().instanceId())).withTruncation(TruncationPolicy.ALARM));
            prepareFix();
            feed.start();
            snapshotTimer = vertx.setPeriodic(config.snapshotEvery().toMillis(), id -> snapshot());
            return Future.succeededFuture();
        }).onFailure(err -> {
            startProblem = "start-up failed: " + err.getMessage();
            LOG.log(Level.SEVERE, "trade-api could not start", err);
        });
    }

    /**
     * The order stream, taking over from the journal of the processes before: made on this context after the
     * ledger is restored from {@code restored} (null: none) and before anything is replayed onto it.
     */
    private void openStreams(TradeDesk d, SnapshotStore.Snapshot restored) {
        Map<String, Long> snapshotSeqs = new HashMap<>();
        for (String account : d.ledger().accountIds()) {
            snapshotSeqs.put(account, d.ledger().lastUpdateSeq(account));
        }
        streams = OrderStreams.withJournal(vertx, OrderStreamOptions.defaults()
                .withHeartbeatIntervalMs(config.heartbeat().toMillis())
                .withRetention(new RetentionOptions(config.retentionMessages(), config.retentionAge().toMillis())),
                new AccountSource() {
                    @Override
                    public List<JsonObject> openOrders(String account) {
                        return d.ledger().hasAccount(account) ? d.ledger().openOrders(account, null).stream()
                                .map(TradeJson::order).toList() : List.of();
                    }

                    @Override
                    public long headSeq(String account) {
                        return d.ledger().hasAccount(account) ? d.ledger().lastUpdateSeq(account) : 0;
                    }
                }, streamJournal, streamsRecorded,
                restored == null ? null : new StreamJournal.Mark(restored.intentIndex(), restored.feedPositions()),
                snapshotSeqs);
        streamsRecorded = null;
        streams.onDisconnect(account -> d.cancelAll(account, null, null));
        d.setListener((u, traceParent) -> {
            io.opentelemetry.api.trace.Span span = pushSpan(traceParent);
            streams.publish(u.account(), u.seq(), u.fill() != null ? OrderStreams.TYPE_FILL : OrderStreams.TYPE_ORDER,
                    u.fill() != null ? TradeJson.fill(u.fill()) : TradeJson.order(u.order()));
            span.end();
        });
    }

    /**
     * Caught up: the stream's replay ends; the ledger's seqs follow on from what the stream holds. (During the
     * replay the stream numbers its frames itself and the ledger counts as it always does, so a restart and a
     * rebuild from nothing give every order the same state; only the accounts' seqs are set here, as intents, so
     * that a later replay, from a snapshot or from nothing, numbers what follows as this process does.)
     */
    private void endStreamRecovery() {
        Map<String, Long> heads = streams.endRecovery((account, orderId) -> {
            org.opentrade.trade.domain.Order o = desk.ledger().order(account, orderId);
            return o == null ? null : TradeJson.order(o);
        });
        new java.util.TreeMap<>(heads).forEach(desk::followStreamSeq);
        LOG.info("trade-api order stream: " + streams.recoveredUnsent() + " replayed update(s) not sent again (sent before"
                + " the restart), " + streams.ordersReconciled() + " order(s) re-sent as they now are; epoch "
                + streams.epoch());
    }

    /** The feed's handler: events into the desk; the position is what the latest snapshot covers. */
    private final class TradeFeed implements FeedHandler {
        @Override
        public long position(int shard) {
            Long p = durablePositions.get(shard);
            return p == null ? 0 : p;
        }

        @Override
        public void onEvent(ExchangeEvent event) {
            desk.onEvent(event);
            if (fixBooks != null) {
                fixBooks.onEvent(event);
            }
        }

        @Override
        public void onLive(int shard, long seq) {
            live.put(shard, true);
            if (!ready && feed != null && live.size() >= feed.stats().size() && !live.containsValue(false)) {
                endStreamRecovery();
                desk.resendPending(null);
                settleTimer = vertx.setPeriodic(SETTLE_EVERY_MS, id -> desk.settleUnknown(SETTLE_AFTER_MS));
                ready = true;
                startProblem = null;
                readyPromise.tryComplete();
                LOG.info("trade-api ready: live on " + live.size() + " shard(s)");
                startFix();
            }
        }

        @Override
        public void onTruncated(int shard, long position, long firstKeptSeq) {
            startProblem = "ALARM: the exchange no longer keeps shard " + shard + "'s events after " + position
                    + " (it keeps from " + firstKeptSeq + "); trade-api cannot rebuild fills without them";
            LOG.severe(startProblem);
        }

        @Override
        public void onDiverged(int shard, long position, long exchangeHead) {
            startProblem = "ALARM: the exchange's shard " + shard + " ends at event " + exchangeHead + " but trade-api"
                    + " has applied its events up to " + position + ": the exchange's data was reset or lost events"
                    + " trade-api saw, so trade-api's accounts describe another history. Restore the exchange's data"
                    + " directory, or stop trade-api and move its data directory aside to start both afresh";
            LOG.severe(startProblem);
        }

        @Override
        public void onFailure(int shard, long seq, Throwable cause) {
            LOG.log(Level.SEVERE, "trade-api stopped applying shard " + shard + " at seq " + seq, cause);
        }
    }

    /**
     * Starts the FIX acceptor once ready (orders need the caught-up state): its listener joins the
     * order stream's on the desk (this context), the socket is bound on a worker. A failure to bind
     * is logged; REST keeps working.
     */
    /**
     * Builds the FIX acceptor while trade-api catches up (QuickFIX/J takes seconds to build on a cold JVM),
     * so that once ready {@link #startFix} only binds: FIX clients get back sooner after a restart.
     */
    private void prepareFix() {
        TradeApiConfig.FixSection f = config.fix();
        if (!f.enabled()) {
            return;
        }
        io.vertx.core.Context ctx = context;
        FixAcceptorOptions options = FixAcceptorOptions.defaults(config.dataDir().resolve("fix"))
                .withAddress(f.host(), f.port())
                .withConnectionLimits(f.maxConnections(), f.maxConnectionsPerAddress(), f.logonWithin())
                .withDailyReset(f.dailyReset(), f.resetZone())
                .withMaxMessagesPerSecond(f.maxMessagesPerSecond())
                .withRefusedLogonsPerMinute(f.refusedLogonsPerMinute());
        KeyAuthenticator authenticator = keys != null ? keys
                : new EventBusKeyAuthenticator(vertx, options.logonTimeout().toMillis());
        FixAcceptor acceptor = new FixAcceptor(options, desk, task -> ctx.runOnContext(v -> task.run()), authenticator,
                System::currentTimeMillis, tracing, fixBooks);
        if (config.store().backend() == TradeApiConfig.StoreBackend.REDIS) {
            // Session names where any process of the instance finds them; a file this data directory kept
            // from before is carried over, so no name it held goes to someone else.
            acceptor.redisStore(() -> new RedisFixSessions(redis)); // in prepare(), off the event loop
            acceptor.sessionOwners(() -> {
                RedisSessionOwners names = new RedisSessionOwners(redis);
                if (java.nio.file.Files.exists(acceptor.ownersFile())) {
                    try {
                        names.carryOver(new SessionOwners(acceptor.ownersFile()).all());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return names;
            });
        }
        int partitions = config.store().partitions();
        int partition = config.store().instanceId();
        acceptor.accountPlacement(developer -> partitions == 0 || Partitions.of(developer, partitions) == partition ? null
                : "this account is in trade-api partition " + Partitions.of(developer, partitions) + " of " + partitions
                + "; this acceptor serves partition " + partition + ": log on to that instance's FIX port");
        // A failure here is reported by startFix, whose start() prepares again.
        // Unordered: the context's other blocking work (snapshots, stores) does not queue behind it.
        fixPrepared = vertx.executeBlocking(() -> {
            acceptor.prepare();
            return acceptor;
        }, false).recover(err -> Future.succeededFuture(acceptor));
    }

    /** Once ready: binds the FIX acceptor prepared during catch-up. */
    private void startFix() {
        if (fixPrepared == null) {
            return;
        }
        fixPrepared.compose(acceptor -> {
            desk.addListener(acceptor.updates());
            return vertx.executeBlocking(() -> {
                acceptor.start();
                return acceptor;
            });
        }).onSuccess(acceptor -> fix = acceptor).onFailure(err -> LOG.log(Level.SEVERE, "FIX acceptor could not start on "
                + config.fix().host() + ":" + config.fix().port(), err));
    }

    /** A span for an order-stream push caused by a traced command (none without tracing or trace). */
    private io.opentelemetry.api.trace.Span pushSpan(String traceParent) {
        if (tracing == null || traceParent == null) {
            return io.opentelemetry.api.trace.Span.getInvalid();
        }
        return tracing.tracer().spanBuilder("trade-api.stream push").setParent(Tracing.parentOf(traceParent))
                .setSpanKind(io.opentelemetry.api.trace.SpanKind.PRODUCER).startSpan();
    }

    /**
     * Reference and last prices from the exchange's shard snapshots (risk's price band); with FIX on,
     * asked with the resting orders too, which load FIX market data's book replicas.
     */
    private Future<Void> loadMarks(TradeDesk d) {
        FixBooks books = fixBooks;
        return vertx.eventBus().request(ExchangeAddresses.FEED_INFO, new JsonObject()).compose(info -> {
            int shards = ((JsonObject) info.body()).getInteger("shards", 0);
            List<Future<io.vertx.core.eventbus.Message<Object>>> all = new java.util.ArrayList<>();
            for (int i = 0; i < shards; i++) {
                all.add(vertx.eventBus().request(ExchangeAddresses.FEED_SNAPSHOT, new JsonObject().put("shard", i)
                        .put("orders", books != null)));
            }
            return Future.all(all).map(cf -> {
                for (int i = 0; i < shards; i++) {
                    io.vertx.core.eventbus.Message<Object> m = cf.resultAt(i);
                    JsonArray list = ((JsonObject) m.body()).getJsonArray("snapshots", new JsonArray());
                    if (books != null && ((JsonObject) m.body()).getInteger("code", -1) != 0) {
                        books.unavailable("shard " + i + "'s book snapshot was refused: " + m.body());
                    }
                    for (Object o : list) {
                        org.opentrade.exchange.model.BookSnapshot snap = ExchangeJson.bookSnapshotFromJson((JsonObject) o);
                        d.market().load(snap);
                        if (books != null) {
                            books.load(snap);
                        }
                    }
                }
                return (Void) null;
            });
        }).recover(err -> {
            if (books != null) {
                books.unavailable("no book snapshots from the exchange (" + err.getMessage() + ")");
            }
            LOG.warning("no reference prices from the exchange (" + err.getMessage() + "); the price band check uses"
                    + " the universe's previous close until trades arrive");
            return Future.succeededFuture();
        });
    }

    /** Tests: wraps the intent store when the service starts (call before deploying). */
    void decorateIntentStore(java.util.function.UnaryOperator<IntentStore> decorator) {
        this.intentStoreDecorator = decorator;
    }

    /** Whether a periodic snapshot is taken and not yet stored (or given up). On the context. */
    boolean snapshotPending() {
        return snapshotInFlight != null;
    }

    /**
     * The periodic snapshot: the state is taken now, with the intents in flight it includes (each is applied
     * when appended), and stored once they are durable, so a steady order flow, which nearly always has some in
     * flight, does not delay it. Skipped while the last one is still being stored.
     */
    void snapshot() {
        // Not while catching up: the order stream numbers the replay's frames itself until ready. Not once the
        // intent store has failed either: what is in flight will never be durable (a restart is needed).
        if (desk == null || !ready || snapshotInFlight != null || desk.storeFailure() != null) {
            return;
        }
        Future<Void> written = writeSnapshot(desk);
        snapshotInFlight = written;
        written.onComplete(ar -> {
            snapshotInFlight = null;
            if (ar.failed()) {
                LOG.log(Level.WARNING, "trade-api snapshot failed; retried next time", ar.cause());
            }
        });
    }

    /**
     * Takes a snapshot of the state now and stores it once every intent it covers is durable (a crash loses only
     * intents that were not, so a stored snapshot never covers one the log lost); then the exchange may prune up
     * to it. The order stream's mark is taken now, with the state: what it published so far is in the snapshot.
     */
    private Future<Void> writeSnapshot(TradeDesk d) {
        byte[] bytes = d.snapshot();
        Map<Integer, Long> positions = d.positions();
        long index = d.lastIntentAppended();
        long mark = streams.mark(index, positions);
        return Future.fromCompletionStage(d.durableThrough(index), context).compose(durable -> vertx.executeBlocking(() -> {
            snapshots.write(index, positions, bytes);
            return null;
        }, false)).onSuccess(v -> {
            streams.snapshotDurable(mark);
            durablePositions.putAll(positions);
            lastSnapshotIndex = index;
            lastSnapshotAtMs = System.currentTimeMillis();
        }).compose(v -> {
            java.util.OptionalLong through = pruning == null ? java.util.OptionalLong.empty()
                    : pruning.stored(index, lastSnapshotAtMs);
            if (through.isEmpty()) {
                return Future.<Void>succeededFuture();
            }
            // The file store writes a small file; Redis sends one script behind the appends.
            return vertx.executeBlocking(() -> {
                intents.prune(through.getAsLong());
                prunedThrough = through.getAsLong();
                return null;
            }, false).<Void>mapEmpty();
        }).mapEmpty();
    }

    private Future<Universe> fetchUniverse() {
        return UniverseFetch.fetch(vertx, 1000, reason -> startProblem = reason, "trade-api");
    }

    /**
     * The durable feed consumer name of instance {@code instanceId}: the exchange keeps events until every
     * durable consumer has checkpointed past them, so instances sharing an exchange need names of their
     * own — with one name, the instance ahead would let the exchange prune what the other still needs
     * (its restart would stop with ALARM). Instance 0 keeps the single-instance name.
     */
    static String feedConsumerName(int instanceId) {
        return instanceId == 0 ? "trade-api" : "trade-api-" + instanceId;
    }

    /** The exchange calendar's trading day of a moment, as "yyyy-MM-dd" (pure: replay depends on it). */
    static LongFunction<String> tradingDayOf(Universe u) {
        ZoneId zone = ZoneId.of(u.zone());
        LocalTime dayEnd = LocalTime.parse(u.dayEnd());
        boolean continuous = !"a-share".equals(u.calendar());
        return ms -> {
            ZonedDateTime t = java.time.Instant.ofEpochMilli(ms).atZone(zone);
            LocalDate d = t.toLocalDate();
            return (continuous && !t.toLocalTime().isBefore(dayEnd) ? d.plusDays(1) : d).toString();
        };
    }

    private Throwable storeFailure() {
        TradeDesk d = desk;
        return d == null ? null : d.storeFailure();
    }

    private JsonObject readiness() {
        Throwable failed = storeFailure();
        JsonObject j = new JsonObject().put("ready", ready && failed == null);
        if (failed != null) {
            j.put("reason", "the intent store failed (" + failed.getClass().getSimpleName()
                    + "); mutations are refused until trade-api is restarted with its store reachable");
        } else if (startProblem != null) {
            j.put("reason", startProblem);
        }
        if (!ready && feed != null) {
            // Why the feed is not live yet: e.g. this service's state is ahead of an exchange whose data was reset.
            j.put("feed", new io.vertx.core.json.JsonArray(feed.stats().stream()
                    .filter(s -> s.state() != org.opentrade.exchange.client.feed.ShardState.LIVE)
                    .map(org.opentrade.exchange.client.feed.ShardStats::describe).toList()));
        }
        return j;
    }

    public String metrics() {
        StringBuilder sb = new StringBuilder();
        sb.append("trade_ready ").append(ready ? 1 : 0).append('\n');
        TradeDesk d = desk;
        if (d != null) {
            sb.append("trade_accounts ").append(d.ledger().accountIds().size()).append('\n');
            sb.append("trade_intents_applied ").append(d.lastIntentApplied()).append('\n');
            // How far a start would replay: intents since the last snapshot this process stored, and its age.
            long snapshotAt = lastSnapshotAtMs;
            sb.append("trade_snapshot_intent_index ").append(lastSnapshotIndex).append('\n');
            sb.append("trade_intents_pruned_through ").append(prunedThrough).append('\n');
            sb.append("trade_snapshot_age_seconds ").append(snapshotAt == 0 ? -1
                    : (System.currentTimeMillis() - snapshotAt) / 1000).append('\n');
            sb.append("trade_orders_resent_total ").append(d.resentOrders()).append('\n');
            sb.append("trade_orders_unsettled ").append(d.unsettledOrders()).append('\n');
            // What the accounts' histories hold (bounded per account by accounts.history_kept) and what they dropped.
            Ledger.HistoryStats h = d.ledger().historyStats();
            sb.append("trade_ledger_orders_kept ").append(h.ordersKept()).append('\n');
            sb.append("trade_ledger_fills_kept ").append(h.fillsKept()).append('\n');
            sb.append("trade_ledger_orders_dropped_total ").append(h.ordersDropped()).append('\n');
            sb.append("trade_ledger_fills_dropped_total ").append(h.fillsDropped()).append('\n');
        }
        if (feed != null) {
            feed.stats().forEach(s -> sb.append("trade_feed_lag{shard=\"").append(s.shard()).append("\"} ")
                    .append(s.lag()).append('\n'));
        }
        if (streams != null) {
            sb.append("trade_stream_connections ").append(streams.stats().connections()).append('\n');
            sb.append("trade_stream_seq_jumps_total ").append(streams.stats().seqJumps()).append('\n');
            sb.append("trade_stream_journal_dropped_total ").append(streams.journalDropped()).append('\n');
            sb.append("trade_stream_recovered_unsent_total ").append(streams.recoveredUnsent()).append('\n');
            sb.append("trade_stream_orders_reconciled_total ").append(streams.ordersReconciled()).append('\n');
        }
        FixAcceptor acceptor = fix;
        if (acceptor != null) {
            sb.append("trade_fix_connections ").append(acceptor.connectionsNow()).append('\n');
            acceptor.refusedConnections().forEach((why, n) -> sb.append("trade_fix_connections_refused_total{reason=\"")
                    .append(why).append("\"} ").append(n).append('\n'));
            sb.append("trade_fix_resend_requests_refused_total ").append(acceptor.refusedResendRequests()).append('\n');
        }
        sb.append(requestStats.prometheus());
        return sb.toString();
    }

    @Override
    public Future<?> stop() {
        Thread waiting = standbyThread;
        if (waiting != null) {
            waiting.interrupt(); // a standby that never took over: its wait ends, its connection closes
        }
        if (snapshotTimer >= 0) {
            vertx.cancelTimer(snapshotTimer);
        }
        if (settleTimer >= 0) {
            vertx.cancelTimer(settleTimer);
        }
        if (feed != null) {
            feed.stop();
        }
        if (streams != null) {
            streams.close();
        }
        FixAcceptor acceptor = fix;
        fix = null;
        Future<Void> fixStopped = acceptor == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            acceptor.stop();
            return null;
        });
        Future<Void> closed = fixStopped.eventually(() -> server == null ? Future.succeededFuture() : server.close());
        return closed.compose(v -> {
            if (desk != null && ready && desk.quiescent() && snapshots != null && streams != null) {
                // After the periodic one, if one is being stored: never two writes at once.
                Future<Void> before = snapshotInFlight == null ? Future.succeededFuture() : snapshotInFlight;
                return before.eventually(() -> desk.quiescent() ? writeSnapshot(desk) : Future.<Void>succeededFuture())
                        .recover(err -> {
                            LOG.log(Level.WARNING, "trade-api's snapshot at stop failed; the next start replays more"
                                    + " intents", err);
                            return Future.succeededFuture();
                        });
            }
            return Future.succeededFuture();
        }).eventually(() -> vertx.executeBlocking(() -> {
            if (intents != null) {
                intents.close();
            }
            if (streamJournal != null) {
                streamJournal.close();
            }
            if (mutationAnswers != null) {
                mutationAnswers.close();
            }
            if (redis != null) {
                redis.close();
            }
            return null;
        }));
    }

    /**
     * A standby: waits, on a thread of its own (for as long as it takes), until this process holds the
     * instance's claim, i.e. until its holder died or stopped. Completes on the service's context. Redis
     * down, at the start or later, is waited out: the wait connects again every
     * {@link #STANDBY_RETRY} (a standby that gave up on a Redis restart would be no standby).
     */
    private Future<Void> waitForClaim() {
        io.vertx.core.Promise<Void> claimed = io.vertx.core.Promise.promise();
        io.vertx.core.Context ctx = context;
        Thread t = new Thread(() -> {
            try {
                redis = claimWhenFree();
                LOG.info("trade-api instance " + config.store().instanceId() + " claimed: taking over");
                ctx.runOnContext(v -> claimed.tryComplete());
            } catch (RuntimeException e) {
                ctx.runOnContext(v -> claimed.tryFail(e));
            } finally {
                standbyThread = null;
            }
        }, "trade-api-standby");
        t.setDaemon(true);
        standbyThread = t;
        t.start();
        return claimed.future();
    }

    /** The standby's wait: connected, claimed, or interrupted (stop) with an exception. */
    private TradeRedis claimWhenFree() {
        String outage = null;
        LOG.info("trade-api standing by for instance " + config.store().instanceId());
        while (true) {
            TradeRedis r = null;
            try {
                r = TradeRedis.connect(config.store().redis());
                if (outage != null) {
                    LOG.info("trade-api standby: Redis answers again; standing by for instance " + config.store().instanceId());
                    outage = null;
                }
                r.claimInstance(INSTANCE_LEASE_TTL, null);
                return r;
            } catch (RuntimeException e) {
                if (r != null) {
                    r.close();
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                if (outage == null) {
                    outage = String.valueOf(e.getMessage());
                    LOG.warning("trade-api standby: cannot wait for the claim (" + outage + "); trying again every "
                            + STANDBY_RETRY.toMillis() + " ms");
                }
            }
            try {
                Thread.sleep(STANDBY_RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("stopped while standing by", e);
            }
        }
    }

    /** The configured intent and snapshot stores; blocks (files, or connecting to Redis). */
    private void openStores() {
        TradeApiConfig.StoreChoice choice = config.store();
        if (choice.backend() == TradeApiConfig.StoreBackend.REDIS) {
            LOG.info("trade-api keeps intents and snapshots in redis: " + choice.redis());
            if (redis == null) {
                redis = TradeRedis.connect(choice.redis());
                // One process per instance id: a second one is refused here, and a process whose claim is
                // taken over can no longer write (InstanceLease). A standby claimed it already.
                redis.claimInstance(INSTANCE_LEASE_TTL, INSTANCE_LEASE_TTL.plusSeconds(2));
            }
            intents = intentStoreDecorator.apply(new RedisIntentStore(redis));
            snapshots = new RedisSnapshotStore(redis);
            pruning = new IntentPruning(choice.redis().keepSnapshots(), choice.intentRetention().toMillis());
            return;
        }
        intents = intentStoreDecorator.apply(new FileIntentStore(FileIntentStoreOptions.defaults(
                config.dataDir().resolve("intents")).withFsync(config.fsync() ? FsyncPolicy.FSYNC_BATCH : FsyncPolicy.NONE)
                .withInstanceId(choice.instanceId())));
        snapshots = new FileSnapshotStore(config.dataDir().resolve("snapshots"));
        pruning = new IntentPruning(FileSnapshotStore.KEEP, choice.intentRetention().toMillis());
    }
}
