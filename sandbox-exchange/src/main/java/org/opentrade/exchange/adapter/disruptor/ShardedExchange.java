package org.opentrade.exchange.adapter.disruptor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.ToLongFunction;
import org.opentrade.exchange.client.Shards;
import org.opentrade.exchange.domain.MatchingEngine;
import org.opentrade.exchange.domain.feed.DurableConsumers;
import org.opentrade.exchange.model.AccountSnapshot;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.ShardSnapshot;
import org.opentrade.exchange.port.CommandStages;
import org.opentrade.exchange.port.EventPublisher;
import org.opentrade.exchange.port.ReplicaSink;
import org.opentrade.exchange.port.ShardStorage;
import org.opentrade.exchange.port.SnapshotStore;
import org.opentrade.exchange.port.Exchange;

/**
 * The running exchange: symbols hashed onto {@link ExchangeShard}s, each a ring plus one engine
 * thread with its own journal. {@link #start} recovers every shard (snapshot + journal tail) before
 * it returns, so a started exchange is ready.
 *
 * <p>A process may run only some of the shards ({@link #start(ShardedExchangeOptions, EventPublisher,
 * Collection)}): the others run in other exchange processes of the cluster. Shard numbers and the
 * symbol → shard rule stay those of the whole exchange ({@link #shardCount()}); asking this instance
 * about a shard it does not run is refused (commands: ENGINE_UNAVAILABLE) or answers nothing, and
 * the event-bus endpoints send such requests to the shard's owner.
 */
public final class ShardedExchange implements Exchange {
    /** Indexed by shard number; null for a shard another process runs. */
    private final ExchangeShard[] shards;
    /** The shards this process runs, ascending. */
    private final ExchangeShard[] owned;
    private volatile boolean open = true;
    private final ShardTimings timings;

    private ShardedExchange(ExchangeShard[] shards, ShardTimings timings) {
        this.shards = shards;
        this.timings = timings;
        this.owned = java.util.Arrays.stream(shards).filter(java.util.Objects::nonNull).toArray(ExchangeShard[]::new);
    }

    /** Recovers and starts every shard. Blocks while recovering; call it off the event loop. */
    public static ShardedExchange start(ShardedExchangeOptions options, EventPublisher publisher) {
        return start(options, publisher, null);
    }

    /**
     * Recovers and starts the shards in {@code ownedShards} (null: all {@code options.shards()}) of an
     * exchange of {@code options.shards()} shards. Blocks while recovering; call it off the event loop.
     *
     * @throws IllegalArgumentException when a shard number is outside 0..shards-1 or none is given
     */
    public static ShardedExchange start(ShardedExchangeOptions options, EventPublisher publisher,
                                        Collection<Integer> ownedShards) {
        return start(options, publisher, ownedShards, null, false);
    }

    /**
     * {@link #start(ShardedExchangeOptions, EventPublisher, Collection)} for exchange failover.
     *
     * @param replicas a leader's standby link: every committed batch goes there before it runs; null:
     *                 none (a standby, or no failover)
     * @param follow   start every shard as a standby ({@link #submitReplicated}, {@link #promote})
     */
    public static ShardedExchange start(ShardedExchangeOptions options, EventPublisher publisher,
                                        Collection<Integer> ownedShards, ReplicaSink replicas, boolean follow) {
        ExchangeShard[] shards = new ExchangeShard[options.shards()];
        if (ownedShards != null) {
            if (ownedShards.isEmpty()) {
                throw new IllegalArgumentException("an exchange process must run at least one shard");
            }
            for (int i : ownedShards) {
                if (i < 0 || i >= shards.length) {
                    throw new IllegalArgumentException("shard " + i + " is outside 0.." + (shards.length - 1));
                }
            }
        }
        ShardTimings timings = new ShardTimings();
        for (int i = 0; i < shards.length; i++) {
            if (ownedShards == null || ownedShards.contains(i)) {
                shards[i] = new ExchangeShard(i, options, publisher, replicas, follow, timings);
            }
        }
        return new ShardedExchange(shards, timings);
    }

    /** What this process's shards' batches cost (journal commit, replication, size); any thread. */
    public ShardTimings timings() {
        return timings;
    }

    /** True when this process runs {@code shard}. Any thread. */
    public boolean owns(int shard) {
        return shard >= 0 && shard < shards.length && shards[shard] != null;
    }

    /** True when this process runs every shard of the exchange. */
    public boolean ownsAll() {
        return owned.length == shards.length;
    }

    /** The shards this process runs, ascending. */
    public int[] ownedShards() {
        return java.util.Arrays.stream(owned).mapToInt(ExchangeShard::index).toArray();
    }

    /** The shard that owns a symbol: stable for a given shard count (journals depend on it). */
    public static int shardOf(String symbol, int shardCount) {
        return Shards.of(symbol, shardCount);
    }

    @Override
    public CompletionStage<CommandResult> submit(Command command) {
        return submit(command, null);
    }

    @Override
    public CompletionStage<CommandResult> submit(Command command, CommandStages stages) {
        if (!open) {
            return CompletableFuture.completedFuture(CommandResult.refused(command, ResultCode.ENGINE_UNAVAILABLE));
        }
        if (command == null || command.type() == null) {
            return CompletableFuture.completedFuture(CommandResult.refused(command, ResultCode.MALFORMED_COMMAND));
        }
        if (tooLong(command.account()) || tooLong(command.symbol()) || tooLong(command.traceParent())) {
            // Refused before the journal: every kept string must fit the journal and snapshot encodings.
            return CompletableFuture.completedFuture(CommandResult.refused(command, ResultCode.MALFORMED_COMMAND));
        }
        if (command.type() == CommandType.TIME_TICK) {
            return broadcast(command);
        }
        String symbol = command.symbol();
        if (symbol == null || symbol.isEmpty()) {
            if (shards.length == 1 && shards[0] != null) {
                return shards[0].submit(command, stages);
            }
            return CompletableFuture.completedFuture(CommandResult.refused(command, ResultCode.MALFORMED_COMMAND));
        }
        ExchangeShard shard = shards[shardOf(symbol, shards.length)];
        if (shard == null) {
            // another process runs it: the command endpoint forwards there before calling submit
            return CompletableFuture.completedFuture(CommandResult.refused(command, ResultCode.ENGINE_UNAVAILABLE));
        }
        return shard.submit(command, stages);
    }

    private static boolean tooLong(String s) {
        return s != null && s.length() > MatchingEngine.MAX_TEXT_LENGTH;
    }

    private CompletionStage<CommandResult> broadcast(Command tick) {
        List<CompletableFuture<CommandResult>> all = new ArrayList<>(owned.length);
        for (ExchangeShard s : owned) {
            all.add(s.submit(tick));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<ExchangeEvent> events = new ArrayList<>();
            ResultCode code = ResultCode.OK;
            long seq = 0;
            for (CompletableFuture<CommandResult> f : all) {
                CommandResult r = f.join(); // allOf has completed them all: returns at once
                events.addAll(r.events());
                seq = Math.max(seq, r.journalSeq());
                if (!r.code().isOk()) {
                    code = r.code();
                }
            }
            return new CommandResult(seq, events, code);
        });
    }

    @Override
    public boolean isReady() {
        return open;
    }

    /** Commands processed by all shards since start (thread-safe, for metrics). */
    public long commandsProcessed() {
        return sum(ExchangeShard::processed);
    }

    /** Live orders across shards as of each shard's last batch (thread-safe, for metrics). */
    public long liveOrders() {
        return sum(ExchangeShard::liveOrders);
    }

    private long sum(ToLongFunction<ExchangeShard> counter) {
        long n = 0;
        for (ExchangeShard s : owned) {
            n += counter.applyAsLong(s);
        }
        return n;
    }

    /** Shards of the whole exchange (those of this process and of others). */
    public int shardCount() {
        return shards.length;
    }

    // ------------------------------------------------------------------ the feed

    /**
     * Up to {@code max} events of {@code shard} after {@code afterSeq}, from its event log; a refused
     * batch (BAD_FEED_REQUEST, EVENTS_NOT_RETAINED) otherwise. Blocking file I/O: call it off the
     * event loop. Any thread.
     */
    public FeedBatch replay(int shard, long afterSeq, int max) {
        if (shard < 0 || shard >= shards.length) {
            return FeedBatch.refused(shard, ResultCode.BAD_FEED_REQUEST, "shard must be in 0.." + (shards.length - 1),
                    0, 0);
        }
        if (shards[shard] == null) {
            return FeedBatch.refused(shard, ResultCode.ENGINE_UNAVAILABLE, "shard " + shard
                    + " runs in another exchange process", 0, 0);
        }
        return shards[shard].replay(afterSeq, max);
    }

    /** The last event sequence of {@code shard} (one this process runs) handed to the publisher. Any thread. */
    public long headSeq(int shard) {
        return shards[shard].headSeq();
    }

    /** Commands in {@code shard}'s ring not yet processed. Any thread. */
    public long queuedCommands(int shard) {
        return shards[shard].queuedCommands();
    }

    /** The oldest event sequence of {@code shard} that can still be replayed. Any thread. */
    public long firstKeptSeq(int shard) {
        return shards[shard].firstKeptSeq();
    }

    /**
     * A standby's history from before its image: {@code events} (consecutive, ending just before
     * {@link #firstKeptSeq}) go in front of {@code shard}'s event log. Any thread.
     */
    public void prependHistory(int shard, List<ExchangeEvent> events) {
        shards[shard].prependHistory(events);
    }

    /** Records a durable consumer's checkpoint on {@code shard} (registering it). Any thread. */
    public DurableConsumers.Outcome checkpoint(String consumer, int shard, long seq) {
        if (!owns(shard)) {
            return DurableConsumers.Outcome.BAD_SEQ;
        }
        return shards[shard].consumers().checkpoint(consumer, seq, shards[shard].headSeq());
    }

    /** Forgets a durable consumer on every shard of this process; true when some shard knew it. Any thread. */
    public boolean unregister(String consumer) {
        boolean any = false;
        for (ExchangeShard s : owned) {
            any |= s.consumers().unregister(consumer);
        }
        return any;
    }

    /** A standby takes the leader's durable consumers' checkpoints of {@code shard} as they stand. Any thread. */
    public void mirrorConsumers(int shard, Map<String, Long> leader) {
        ExchangeShard s = shards[shard];
        if (s != null) {
            s.consumers().mirror(leader);
        }
    }

    /** Durable consumers and their checkpoints per shard (for metrics; empty for another process's shard). */
    public List<Map<String, Long>> consumerCheckpoints() {
        List<Map<String, Long>> l = new ArrayList<>();
        for (ExchangeShard s : shards) {
            l.add(s == null ? Map.of() : s.consumers().view());
        }
        return l;
    }

    /**
     * Runs a read-only look at one shard's engine between its commands, with the shard's last event
     * sequence; completes on the shard thread (exceptionally when the ring is full).
     */
    public <T> CompletionStage<T> query(int shard, ExchangeShard.Query<T> query) {
        if (!owns(shard)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("shard " + shard
                    + " does not run in this process"));
        }
        return shards[shard].query(query);
    }

    /** The book of one symbol as of its shard's current sequence; null for an unknown symbol. */
    public CompletionStage<BookSnapshot> bookSnapshot(String symbol, boolean withOrders) {
        int shard = shardOf(symbol, shards.length);
        return query(shard, (engine, seq) -> engine.bookSnapshot(shard, seq, symbol, withOrders));
    }

    /** The books of every symbol of one shard, all at the shard's sequence (carried also when it has none). */
    public CompletionStage<ShardSnapshot> shardSnapshot(int shard, boolean withOrders) {
        return query(shard, (engine, seq) -> {
            List<BookSnapshot> l = new ArrayList<>();
            for (String symbol : engine.symbols()) {
                if (shardOf(symbol, shards.length) == shard) {
                    l.add(engine.bookSnapshot(shard, seq, symbol, withOrders));
                }
            }
            return new ShardSnapshot(shard, seq, l);
        });
    }

    /**
     * An account's live orders, one entry per shard of this process, each stamped with that shard's
     * sequence.
     */
    public CompletionStage<List<AccountSnapshot>> accountSnapshot(String account) {
        List<CompletableFuture<AccountSnapshot>> parts = new ArrayList<>(owned.length);
        for (ExchangeShard s : owned) {
            int shard = s.index();
            parts.add(s.query((engine, seq) -> new AccountSnapshot(shard, seq, account,
                    engine.ordersOf(account))));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(v -> parts.stream().map(CompletableFuture::join).toList());
    }

    // ------------------------------------------------------------------ failover

    /**
     * Prepares {@code shard}'s fresh, empty storage to start from a leader's image: the image becomes
     * its only snapshot, and journal and event log continue after the image's seqs. Blocking I/O.
     *
     * @throws IllegalStateException when the storage already holds a journal or a snapshot (move the
     *                               old data aside first: it may belong to another history)
     */
    public static void install(ShardedExchangeOptions options, int shard, SnapshotStore.Snapshot image) {
        ShardStorage.Factory factory = options.storageFactory();
        if (factory == null) {
            throw new IllegalStateException("a standby needs storage to install an image into");
        }
        ShardStorage storage = factory.open(shard);
        try {
            if (storage.journal().lastSeq() > 0 || storage.snapshots().latest().isPresent()) {
                throw new IllegalStateException("shard " + shard + " already holds data (journal up to "
                        + storage.journal().lastSeq() + "); move it aside before installing a leader's image");
            }
            storage.snapshots().save(image);
            storage.journal().resetAfter(image.journalSeq());
            storage.events().resetAfter(image.eventSeq());
        } finally {
            storage.journal().close();
            storage.events().close();
        }
    }

    /** A standby: runs a command the leader journaled as {@code journalSeq} on {@code shard}. Never blocks. */
    public CompletionStage<CommandResult> submitReplicated(int shard, long journalSeq, Command command) {
        if (!open || !owns(shard)) {
            return CompletableFuture.completedFuture(CommandResult.refused(command, ResultCode.ENGINE_UNAVAILABLE));
        }
        return shards[shard].submitReplicated(journalSeq, command);
    }

    /** A standby shard takes the lead; completes with its last event seq once it serves its callers. */
    public CompletionStage<Long> promote(int shard) {
        if (!owns(shard)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("shard " + shard
                    + " does not run in this process"));
        }
        return shards[shard].promote();
    }

    /** True while {@code shard} (one this process runs) is a standby. */
    public boolean following(int shard) {
        return shards[shard].following();
    }

    /** True when some shard of this process was deposed by another leader and refuses everything. */
    public boolean anyFenced() {
        for (ExchangeShard s : owned) {
            if (s.fenced()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A leading shard's image for a standby; {@code taken} runs on the shard thread before the next
     * batch with the image's journal seq (to start sending batches after it).
     */
    public CompletionStage<SnapshotStore.Snapshot> image(int shard, java.util.function.LongConsumer taken) {
        if (!owns(shard)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("shard " + shard
                    + " does not run in this process"));
        }
        return shards[shard].image(taken);
    }

    /** Commands whose processing threw inside the engine, all shards (for metrics). */
    public long engineFailures() {
        return sum(ExchangeShard::engineFailures);
    }

    /** Durable consumers dropped for lagging, all shards (for metrics). */
    public long droppedConsumers() {
        return sum(ExchangeShard::droppedConsumers);
    }

    /** Events published after recovery because a crash had kept them from being published. */
    public long republishedEvents() {
        return sum(ExchangeShard::republished);
    }

    /** Stops accepting, drains every ring, snapshots and closes the journals. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        for (ExchangeShard s : owned) {
            s.close();
        }
    }

    /** State hashes per shard; valid after {@link #close}. */
    public List<String> stateHashes() {
        List<String> l = new ArrayList<>();
        for (ExchangeShard s : owned) {
            l.add(s.stateHashAfterClose());
        }
        return l;
    }
}
