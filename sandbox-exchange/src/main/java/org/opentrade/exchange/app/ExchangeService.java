package org.opentrade.exchange.app;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.opentrade.exchange.adapter.csv.UniverseFile;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.adapter.eventbus.CommandEndpoint;
import org.opentrade.exchange.adapter.eventbus.EventBusPublisher;
import org.opentrade.exchange.adapter.eventbus.FeedEndpoint;
import org.opentrade.exchange.adapter.eventbus.InstrumentsEndpoint;
import org.opentrade.exchange.adapter.eventbus.SnapshotEndpoint;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.FeedBatchCodec;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.domain.InstrumentProfile;
import org.opentrade.exchange.domain.sim.Simulator;
import org.opentrade.exchange.domain.sim.SimulatorStats;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.port.EventPublisher;
import org.opentrade.exchange.port.LeadershipRegister;
import org.opentrade.exchange.port.SnapshotStore;
import org.opentrade.exchange.adapter.eventbus.LeaderReplication;
import org.opentrade.exchange.adapter.eventbus.StandbyReplication;
import org.opentrade.exchange.adapter.disruptor.ShardedExchangeOptions;
import org.opentrade.exchange.domain.failover.LeaderRecord;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The sandbox exchange as a service: loads the universe, recovers and starts the
 * {@link ShardedExchange} (journal + snapshots under the data dir), serves commands and publishes
 * events on the event bus, runs the liquidity simulator on a periodic timer, and sends a TIME_TICK
 * every {@code time_tick} so session phases and DAY expiry happen without traffic.
 *
 * <p>A verticle: timers and the command endpoint run on its event loop; recovery runs on a worker.
 * The simulator is touched only on the event loop: the shard threads hand it the events it wants
 * through a lock-free queue, drained before each step. Stopping cancels the simulator's resting
 * orders, stops serving, then drains and closes the shards (which snapshot).
 */
public final class ExchangeService extends VerticleBase {
    private static final Logger LOG = Logger.getLogger(ExchangeService.class.getName());
    /** Longest a clean stop waits for the simulator's cancels. */
    private static final long STOP_CANCEL_TIMEOUT_MILLIS = 5_000;
    /** How long start-up waits for another process to say it runs one of this one's shards. */
    private static final long OWNER_CHECK_TIMEOUT_MILLIS = 2_000;

    private final ExchangeConfig config;
    private final Queue<ExchangeEvent> simulatorInbox = new ConcurrentLinkedQueue<>();
    private final LongAdder events = new LongAdder();
    private final LongAdder trades = new LongAdder();
    private final LongAdder rejections = new LongAdder();
    private final AtomicLong simulatorCommands = new AtomicLong();
    private final AtomicLong simulatorRejections = new AtomicLong();
    /** Times {@link #standBy} installed the leader's images (metrics: a rising count means a standby dropped again and again). */
    private final AtomicLong imagesInstalled = new AtomicLong();
    private volatile ShardedExchange exchange;
    private volatile boolean ready;
    private CommandEndpoint endpoint;
    private Simulator simulator;
    private long tickTimer = -1;
    private long heartbeatTimer = -1;
    private FeedEndpoint feedEndpoint;
    private SnapshotEndpoint snapshotEndpoint;
    private EventBusPublisher publisherOnContext;
    private long simulatorTimer = -1;

    public ExchangeService(ExchangeConfig config) {
        this(config, null);
    }

    /** With spans for traced commands (the all-in-one shares the gateway's span store); null: none. */
    public ExchangeService(ExchangeConfig config, org.opentrade.common.tracing.Tracing tracing) {
        this(config, tracing, null, reason -> { });
    }

    /**
     * With exchange failover ({@code config.failover().enabled()}).
     *
     * @param registers opens the failover group's leadership register on this service's Vert.x
     * @param onFenced  called once (on the event loop) when another process took the lead from this one:
     *                  a deposed leader refuses everything, and its process should end
     */
    public ExchangeService(ExchangeConfig config, org.opentrade.common.tracing.Tracing tracing,
                           Function<Vertx, LeadershipRegister> registers, Consumer<String> onFenced) {
        this.config = config;
        this.tracing = tracing;
        this.registers = registers;
        this.onFenced = onFenced;
        if (config.failover().enabled() && registers == null) {
            throw new IllegalArgumentException("failover needs a leadership register");
        }
    }

    private final org.opentrade.common.tracing.Tracing tracing;
    private final Function<Vertx, LeadershipRegister> registers;
    private final Consumer<String> onFenced;
    /** False while this process stands by: what its shards compute is not published. */
    private volatile boolean leading;
    private volatile String role = "starting";
    private volatile boolean stopping;
    private volatile LeadershipRegister register;
    private volatile LeaderReplication leaderReplication;
    private StandbyReplication standby;
    private Thread failoverThread;
    private String node;
    private EventPublisher gatedPublisher;
    private long fenceTimer = -1;
    private boolean fencedReported;

    @Override
    public Future<?> start() {
        long t0 = System.nanoTime();
        FeedBatchCodec.register(vertx);
        EventBusPublisher bus = new EventBusPublisher(vertx.eventBus(), context, config.shards(), config.jsonEvents());
        publisherOnContext = bus;
        boolean simulate = config.simulator().enabled();
        EventPublisher publisher = (shard, batch) -> {
            if (!leading) {
                return; // a standby's shards compute what the leader publishes
            }
            for (ExchangeEvent e : batch) {
                if (e.type() == EventType.TRADE) {
                    trades.increment();
                } else if (e.type() == EventType.REJECTED) {
                    rejections.increment();
                }
                if (simulate && Simulator.wants(e)) {
                    simulatorInbox.add(e);
                }
            }
            events.add(batch.size());
            bus.publish(shard, batch);
        };
        gatedPublisher = publisher;
        if (config.failover().enabled()) {
            return startFailover(t0);
        }
        leading = true;
        role = "single";
        return refuseShardsRunElsewhere().compose(free -> vertx.executeBlocking(() -> {
            InstrumentCatalog catalog = loadCatalog();
            exchange = ShardedExchange.start(config.runtimeOptions(catalog), publisher, config.ownedShardsOrAll());
            return catalog;
        })).compose(catalog -> serve(catalog, t0));
    }

    private InstrumentCatalog loadCatalog() {
        InstrumentCatalog catalog = UniverseFile.load(config.instrumentsFile());
        config.validateAgainst(catalog);
        if (config.dataDir() != null) {
            DataDirLayout.check(config.dataDir(), config.shards());
        }
        return catalog;
    }

    /** Registers the endpoints and timers of a leading (or single) exchange; on the event loop. */
    private Future<ExchangeService> serve(InstrumentCatalog catalog, long t0) {
        EventBusPublisher bus = publisherOnContext;
        boolean simulate = config.simulator().enabled();
        // All at once, not one after another: each is a registration in the cluster, which after a member
        // died (a failover's takeover) waits for the cluster to settle.
        String calendar = config.calendar() == ExchangeConfig.CalendarType.A_SHARE ? "a-share" : "continuous";
        Future<FeedEndpoint> feed = FeedEndpoint.register(vertx, exchange).onSuccess(fe -> feedEndpoint = fe);
        Future<SnapshotEndpoint> snapshots = SnapshotEndpoint.register(vertx, exchange).onSuccess(se -> snapshotEndpoint = se);
        Future<InstrumentsEndpoint> instruments = InstrumentsEndpoint.register(vertx, catalog, calendar,
                config.calendar() == ExchangeConfig.CalendarType.A_SHARE ? "Asia/Shanghai" : config.zone().getId(),
                config.calendar() == ExchangeConfig.CalendarType.A_SHARE ? "15:00" : config.dayEnd().toString(),
                config.calendar() == ExchangeConfig.CalendarType.A_SHARE ? config.holidays() : List.of());
        Future<CommandEndpoint> commands = CommandEndpoint.register(vertx, exchange, System::currentTimeMillis, tracing)
                .onSuccess(ep -> endpoint = ep);
        return Future.all(feed, snapshots, instruments, commands).map(registered -> {
            for (int i : exchange.ownedShards()) {
                bus.startAt(i, exchange.headSeq(i));
            }
            heartbeatTimer = vertx.setPeriodic(config.feedHeartbeat().toMillis(), id -> heartbeat());
            tickTimer = vertx.setPeriodic(config.timeTick().toMillis(), id -> tick());
            if (simulate) {
                simulator = new Simulator(config.simulator(), ownedSymbols(catalog), config.tradingCalendar(),
                        Simulator.firstOrderIdFor(System.currentTimeMillis()));
                simulatorTimer = vertx.setPeriodic(config.simulatorStep().toMillis(), id -> simulate());
            }
            if (config.failover().enabled()) {
                fenceTimer = vertx.setPeriodic(200, id -> watchFence());
            }
            ready = true;
            LOG.info(String.format("exchange ready in %d ms: %d instruments, %d shard(s)%s, journal %s, calendar %s,"
                            + " simulator %s", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), catalog.size(),
                    config.shards(),
                    exchange.ownsAll() ? "" : " of which this process runs " + Arrays.toString(exchange.ownedShards()),
                    config.dataDir() == null ? "off" : config.dataDir().toAbsolutePath(),
                    config.calendar().name().toLowerCase(), simulate ? "on" : "off"));
            return this;
        });
    }

    // ------------------------------------------------------------------ failover

    /**
     * Failover mode: opens the leadership register, listens for the leader's batches, and starts the
     * failover thread, which leads when this process may and stands by otherwise. Completes at once:
     * the process is ready (serves commands) only once it leads.
     */
    private Future<?> startFailover(long t0) {
        int[] shards = config.ownedShardsOrAll() == null ? IntStream.range(0, config.shards()).toArray()
                : config.ownedShardsOrAll().stream().mapToInt(Integer::intValue).toArray();
        return vertx.executeBlocking(() -> {
            InstrumentCatalog catalog = loadCatalog();
            node = NodeIdentity.of(config.dataDir());
            return catalog;
        }).compose(catalog -> {
            standby = new StandbyReplication(vertx, context, node, shards, Duration.ofSeconds(60));
            return standby.listen().map(catalog);
        }).map(catalog -> {
            failoverThread = new Thread(() -> failoverLoop(catalog, t0), "exchange-failover");
            failoverThread.setDaemon(true);
            failoverThread.start();
            LOG.info("exchange failover: node " + node + ", group " + config.failoverGroup() + "; taking the lead or"
                    + " standing by");
            return this;
        });
    }

    /** The failover thread: take the lock and lead when this node may, else follow the leader. */
    private void failoverLoop(InstrumentCatalog catalog, long t0) {
        ShardedExchangeOptions options = config.runtimeOptions(catalog);
        String waitingFor = null;
        // On this thread: Hazelcast's CP objects wait until the CP subsystem has formed (its first members
        // joined), which may be long after this process started.
        while (register == null && !stopping) {
            try {
                register = registers.apply(vertx);
            } catch (RuntimeException e) {
                LOG.warning("exchange failover: the leadership register of group " + config.failoverGroup()
                        + " cannot be opened yet (" + e + "); trying again");
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        while (!stopping) {
            try {
                OptionalLong fence = register.tryLock(config.failover().lockWait());
                if (stopping) {
                    return;
                }
                if (fence.isPresent()) {
                    String raw = register.read();
                    LeaderRecord current = LeaderRecord.parse(raw);
                    if (LeaderRecord.mayLead(current, node)) {
                        LeaderRecord mine = LeaderRecord.takenBy(node, fence.getAsLong());
                        if (register.compareAndSet(raw, mine.text())) {
                            lead(options, catalog, mine, t0);
                            return;
                        }
                    } else if (!raw.equals(waitingFor)) {
                        waitingFor = raw;
                        LOG.warning("exchange failover: this node (" + node + ") holds the lock of group "
                                + config.failoverGroup() + " but may not lead: the register (" + raw + ") names "
                                + current.leader() + " as the last leader and " + (current.inSync() == null
                                ? "no standby" : current.inSync()) + " in sync, and only their data holds every"
                                + " acknowledged command. Start one of them; this node stands by");
                    }
                    register.unlock();
                    Thread.sleep(500);
                }
                standBy(options);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (stopping) {
                    return;
                }
                LOG.log(Level.WARNING, "exchange failover: " + e.getMessage() + "; trying again", e);
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Starts (again) from the leader's images when there are none yet or the leader dropped this standby. */
    private void standBy(ShardedExchangeOptions options) throws Exception {
        if (exchange != null && !standby.needsNewImage()) {
            return;
        }
        Map<Integer, SnapshotStore.Snapshot> images;
        try {
            images = standby.requestImages();
        } catch (Exception e) {
            return; // no leader answers right now: keep what this node has, it may be the one to take over
        }
        ShardedExchange old = exchange;
        exchange = null;
        if (old != null) {
            old.close();
        }
        for (Map.Entry<Integer, SnapshotStore.Snapshot> image : images.entrySet()) {
            NodeIdentity.moveShardAside(config.dataDir(), image.getKey());
            ShardedExchange.install(options, image.getKey(), image.getValue());
        }
        exchange = ShardedExchange.start(options, gatedPublisher, config.ownedShardsOrAll(), this::replicate, true);
        standby.following(exchange);
        imagesInstalled.incrementAndGet();
        copyHistory(exchange);
        role = "standby";
        LOG.info("exchange failover: standing by for group " + config.failoverGroup() + " from the leader's images at"
                + " journal seqs " + images.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().journalSeq())
                .toList());
    }

    /**
     * Copies the leader's events from before the images into this standby's event logs, newest page first, so
     * that after a takeover a consumer further behind than the image continues from the feed (without it, such
     * a consumer got -5010 and had to start from a snapshot; trade-api then stops with an alarm). On a thread
     * of its own, page by page over the feed's replay address (the leader answers it); it stops when this
     * standby takes new images, leads or stops. What it copied stays: each page is a whole segment in front.
     */
    private void copyHistory(ShardedExchange installed) {
        Thread t = new Thread(() -> {
            for (int shard : installed.ownedShards()) {
                try {
                    long copied = copyHistory(installed, shard);
                    LOG.info("exchange failover: copied " + copied + " event(s) of shard " + shard + " from before the"
                            + " image; the feed here now starts at " + installed.firstKeptSeq(shard));
                } catch (Exception e) {
                    if (exchange == installed && !leading && !stopping) {
                        LOG.log(Level.WARNING, "exchange failover: copying shard " + shard + "'s events from before"
                                + " the image stopped at " + installed.firstKeptSeq(shard) + ": " + e, e);
                    }
                }
            }
        }, "exchange-history-copy");
        t.setDaemon(true);
        t.start();
    }

    /** Blocks (the copy's own thread): pages of events before {@code installed}'s first kept one, from the leader. */
    private long copyHistory(ShardedExchange installed, int shard) throws Exception {
        long copied = 0;
        long leaderFirst = 1;
        while (exchange == installed && !leading && !stopping) {
            long first = installed.firstKeptSeq(shard);
            if (first <= leaderFirst) {
                break;
            }
            long after = Math.max(leaderFirst - 1, first - 1 - FeedEndpoint.MAX_PAGE);
            FeedBatch page = vertx.eventBus().<FeedBatch>request(ExchangeAddresses.FEED_REPLAY, new JsonObject()
                            .put("shard", shard).put("after_seq", after).put("max_events", (int) (first - 1 - after)),
                    new DeliveryOptions().setSendTimeout(10_000)).toCompletionStage().toCompletableFuture()
                    .get(15, TimeUnit.SECONDS).body();
            if (page.code() == ResultCode.EVENTS_NOT_RETAINED) {
                leaderFirst = Math.max(leaderFirst + 1, page.firstKeptSeq()); // the leader pruned: copy what it keeps
                continue;
            }
            if (!page.isOk()) {
                throw new IllegalStateException("the leader refused: " + page.code() + " " + page.message());
            }
            List<ExchangeEvent> events = new ArrayList<>();
            for (ExchangeEvent e : page.events()) {
                if (e.seq() < first) {
                    events.add(e);
                }
            }
            if (events.isEmpty() || events.get(0).seq() != after + 1 || events.get(events.size() - 1).seq() != first - 1) {
                throw new IllegalStateException("the leader's page after " + after + " did not reach " + (first - 1));
            }
            installed.prependHistory(shard, events);
            copied += events.size();
        }
        return copied;
    }

    /** Durable feed consumers' checkpoints per shard, as this process holds them (a standby: the leader's). */
    public List<Map<String, Long>> consumerCheckpoints() {
        ShardedExchange x = exchange;
        return x == null ? List.of() : x.consumerCheckpoints();
    }

    /** The shards' link to the standby: the leader's replication once this process leads. */
    private void replicate(int shard, long firstSeq, List<Command> commands) {
        LeaderReplication r = leaderReplication;
        if (r != null) {
            r.replicate(shard, firstSeq, commands);
        }
    }

    /** This node took the lead: recover (or promote the standby shards), then serve. Failover thread. */
    private void lead(ShardedExchangeOptions options, InstrumentCatalog catalog, LeaderRecord record, long t0)
            throws Exception {
        // blocking waits: the failover thread, never an event loop
        long start = System.nanoTime();
        standby.stopTaking().toCompletionStage().toCompletableFuture().get();
        if (exchange == null) {
            exchange = ShardedExchange.start(options, gatedPublisher, config.ownedShardsOrAll(), this::replicate,
                    false);
        } else {
            for (int shard : exchange.ownedShards()) {
                exchange.promote(shard).toCompletableFuture().get();
            }
        }
        leaderReplication = new LeaderReplication(vertx, exchange, register, record,
                config.failover().replicationTimeout(), config.failover().catchUpTimeout());
        leading = true;
        role = "leader";
        LOG.info("exchange failover: this node (" + node + ") leads group " + config.failoverGroup() + " ("
                + record.text() + "); shards ready in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                + " ms");
        context.runOnContext(v -> Future.all(leaderReplication.listen(), serve(catalog, t0))
                .onFailure(e -> LOG.log(Level.SEVERE, "exchange failover: serving as leader failed", e)));
    }

    /** A leader deposed by another: report it once. */
    private void watchFence() {
        ShardedExchange x = exchange;
        if (!fencedReported && x != null && x.anyFenced()) {
            fencedReported = true;
            ready = false;
            String reason = "exchange group " + config.failoverGroup() + ": another process leads now; this one"
                    + " refuses every command";
            LOG.severe(reason);
            // stop answering at once, so callers reach the new leader only, even before this process ends
            vertx.cancelTimer(tickTimer);
            vertx.cancelTimer(simulatorTimer);
            vertx.cancelTimer(heartbeatTimer);
            endpoint.close();
            feedEndpoint.close();
            snapshotEndpoint.close();
            leaderReplication.close();
            onFenced.accept(reason);
        }
    }

    /** "single" (no failover), "starting", "standby" or "leader". Any thread. */
    public String role() {
        return role;
    }

    /**
     * Fails when another exchange process of the cluster already answers for one of the shards this
     * one is to run: two engines on one shard would each accept commands for its symbols. (A process
     * that starts at the same instant is not caught; failover with a fenced lock is not built.)
     */
    private Future<Void> refuseShardsRunElsewhere() {
        List<Integer> shards = config.ownedShardsOrAll() != null ? config.ownedShardsOrAll()
                : IntStream.range(0, config.shards()).boxed().toList();
        List<Future<Void>> checks = new ArrayList<>();
        for (int shard : shards) {
            checks.add(vertx.eventBus().request(ExchangeAddresses.onShard(ExchangeAddresses.FEED_INFO, shard),
                            new JsonObject().put("shard", shard),
                            new DeliveryOptions().setSendTimeout(OWNER_CHECK_TIMEOUT_MILLIS))
                    .transform(ar -> ar.succeeded()
                            ? Future.failedFuture(new IllegalStateException("exchange shard " + shard
                                    + " already runs in another process of this cluster; give each process its own"
                                    + " exchange.owned_shards"))
                            // no handler, or a member that died without leaving yet: nobody runs it
                            : Future.<Void>succeededFuture()));
        }
        return Future.all(checks).mapEmpty();
    }

    /** The instruments of this process's shards: the simulator trades only those. */
    private InstrumentCatalog ownedSymbols(InstrumentCatalog catalog) {
        if (exchange.ownsAll()) {
            return catalog;
        }
        List<Instrument> mine = catalog.all().stream()
                .filter(i -> exchange.owns(ShardedExchange.shardOf(i.symbol(), exchange.shardCount()))).toList();
        Map<String, InstrumentProfile> profiles = new HashMap<>();
        mine.forEach(i -> profiles.put(i.symbol(), catalog.profile(i.symbol())));
        return new InstrumentCatalog(mine, profiles);
    }

    private void heartbeat() {
        ShardedExchange x = exchange;
        long[] firstKept = new long[x.shardCount()];
        for (int i = 0; i < firstKept.length; i++) {
            firstKept[i] = x.owns(i) ? x.firstKeptSeq(i) : -1;
        }
        publisherOnContext.heartbeat(firstKept);
    }

    private void tick() {
        exchange.submit(Command.tick(System.currentTimeMillis()));
    }

    /** On the event loop: feed the simulator what happened, then send what it decides. */
    private void simulate() {
        try {
            feedSimulator();
            submitAll(simulator.step(System.currentTimeMillis()));
            SimulatorStats s = simulator.stats();
            simulatorCommands.set(s.commandsSent());
            simulatorRejections.set(s.rejections());
        } catch (RuntimeException ex) {
            // A simulator bug must not stop the exchange: log it and switch the simulator off.
            LOG.log(Level.SEVERE, "liquidity simulator failed; switching it off", ex);
            vertx.cancelTimer(simulatorTimer);
        }
    }

    private void feedSimulator() {
        List<ExchangeEvent> seen = new ArrayList<>();
        ExchangeEvent e;
        while ((e = simulatorInbox.poll()) != null) {
            seen.add(e);
        }
        simulator.onEvents(seen);
    }

    private List<Future<CommandResult>> submitAll(List<Command> commands) {
        List<Future<CommandResult>> results = new ArrayList<>(commands.size());
        for (Command c : commands) {
            results.add(Future.fromCompletionStage(exchange.submit(c).whenComplete((r, err) -> {
                // Refused before the engine (overload, shutdown): no event was published, so tell the
                // simulator here or it would wait for its order forever.
                if (r != null && !r.events().isEmpty() && r.events().get(0).seq() == 0) {
                    simulatorInbox.addAll(r.events());
                }
            })));
        }
        return results;
    }

    /** True once the exchange recovered and the command endpoint serves. Any thread. */
    public boolean isReady() {
        ShardedExchange x = exchange;
        return ready && x != null && x.isReady();
    }

    /** Counters for /metrics. Any thread. */
    public ExchangeMetrics metrics() {
        ShardedExchange x = exchange;
        int n = x == null ? 0 : x.shardCount();
        long[] queued = new long[n];
        long[] heads = new long[n];
        for (int i = 0; i < n; i++) {
            queued[i] = x.owns(i) ? x.queuedCommands(i) : -1;
            heads[i] = x.owns(i) ? x.headSeq(i) : -1;
        }
        return new ExchangeMetrics(isReady(), x == null ? 0 : x.commandsProcessed(), events.sum(), trades.sum(),
                rejections.sum(), x == null ? 0 : x.liveOrders(), simulatorCommands.get(), simulatorRejections.get(),
                x == null ? 0 : x.engineFailures(), x == null ? 0 : x.republishedEvents(),
                x == null ? 0 : x.droppedConsumers(),
                queued, heads, role, imagesInstalled.get(), x == null ? null : x.timings());
    }

    @Override
    public Future<?> stop() {
        ready = false;
        stopping = true;
        if (failoverThread != null) {
            failoverThread.interrupt();
        }
        vertx.cancelTimer(fenceTimer);
        vertx.cancelTimer(tickTimer);
        vertx.cancelTimer(simulatorTimer);
        vertx.cancelTimer(heartbeatTimer);
        Future<?> cancels = Future.succeededFuture();
        if (simulator != null && exchange != null) {
            // A tick goes through every shard's FIFO ring behind the simulator's last commands: once it
            // is done, their events are in the inbox, so the simulator knows every order it has.
            cancels = Future.fromCompletionStage(exchange.submit(Command.tick(System.currentTimeMillis())), context)
                    .compose(done -> {
                        feedSimulator();
                        return Future.join(submitAll(simulator.cancelAll(System.currentTimeMillis())));
                    })
                    .timeout(STOP_CANCEL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .recover(err -> Future.succeededFuture());
        }
        Future<Void> unregistered = (endpoint == null ? Future.<Void>succeededFuture() : endpoint.close())
                .eventually(() -> standby == null ? Future.succeededFuture() : standby.close())
                .eventually(() -> leaderReplication == null ? Future.succeededFuture() : leaderReplication.close())
                .eventually(() -> feedEndpoint == null ? Future.succeededFuture() : feedEndpoint.close())
                .eventually(() -> snapshotEndpoint == null ? Future.succeededFuture() : snapshotEndpoint.close());
        return cancels.eventually(() -> unregistered).eventually(() -> vertx.executeBlocking(() -> {
            ShardedExchange x = exchange;
            if (x != null) {
                x.close();
            }
            if (register != null) {
                register.close(); // gives the lock up: a standby in sync takes over at once
            }
            LOG.info("exchange stopped");
            return null;
        }));
    }
}
