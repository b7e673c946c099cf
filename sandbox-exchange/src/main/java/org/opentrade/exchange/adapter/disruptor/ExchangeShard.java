package org.opentrade.exchange.adapter.disruptor;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.domain.EventCollector;
import org.opentrade.exchange.domain.FastOrderBook;
import org.opentrade.exchange.domain.MatchingEngine;
import org.opentrade.exchange.domain.OrderBook;
import org.opentrade.exchange.domain.feed.DurableConsumers;
import org.opentrade.exchange.domain.feed.EventRetention;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.port.CommandJournal;
import org.opentrade.exchange.port.EventLog;
import org.opentrade.exchange.port.EventPublisher;
import org.opentrade.exchange.port.CommandStages;
import org.opentrade.exchange.port.ReplicaSink;
import org.opentrade.exchange.port.ShardStorage;
import org.opentrade.exchange.port.SnapshotStore;

/**
 * One shard: a Disruptor ring in front of a single thread that owns one {@link MatchingEngine}.
 * For each batch the ring hands over, the thread first appends every command to the journal and
 * commits once (group commit), then processes the commands, appends their events to the event log,
 * publishes them as one batch and completes the futures — so no event is seen before its command is
 * durable, and no caller hears of a command before its events are in the log and published.
 *
 * <p>Exactly once per seq: the event log is written before publishing; on recovery the journal
 * tail after the snapshot is re-run, and the events the log does not have (their command was durable,
 * the crash came before they were logged, so they were never published) are logged and published
 * before the ring starts. A command that makes the engine throw is handled the same way live and in
 * recovery (the events it emitted before the failure stand; its caller hears ENGINE_UNAVAILABLE).
 *
 * <p>Single-threaded per shard: no locks in the engine; producers on any thread claim ring slots
 * without blocking ({@code tryNext}), and a full ring answers ENGINE_OVERLOADED. Read-only queries
 * (snapshots for consumers) travel through the ring too, so they see the engine between commands.
 */
final class ExchangeShard {
    private static final Logger LOG = Logger.getLogger(ExchangeShard.class.getName());
    /** Largest slice of recovered events handed to the publisher at once. */
    private static final int REPUBLISH_CHUNK = 4096;
    /**
     * Engine time between retention passes: each costs a few log reads (a binary search over event
     * times); history is deleted by whole segments anyway, so finer passes would free nothing sooner.
     */
    private static final long RETENTION_EVERY_MILLIS = 10 * 60_000;

    /** A read-only look at the engine between commands; runs on the shard thread. */
    @FunctionalInterface
    public interface Query<T> {
        /** @param seq the last event sequence of the shard: the state the engine shows */
        T run(MatchingEngine engine, long seq);
    }

    /** A ring slot: reused, never reallocated. */
    static final class Slot {
        Command command;
        CompletableFuture<CommandResult> future;
        long journalSeq;
        /** The journal seq the leader gave a replicated command; 0 for a command of this shard's callers. */
        long replicaSeq;
        Query<?> query;
        CompletableFuture<Object> queryFuture;
        Object queryResult;
        /**
         * Run the query after every command of its batch: the journal already holds the whole batch
         * when the batch starts, so a look that pairs the engine with the journal's end must wait for it.
         */
        boolean atBatchEnd;
        /** Where to record the command's stages (a traced command); null: not recorded. */
        CommandStages stages;
    }

    private final int id;
    private final MatchingEngine engine;
    private final ShardStorage storage;
    private final CommandJournal journal;
    private final SnapshotStore snapshots;
    private final EventLog events;
    private final DurableConsumers consumers;
    private final EventRetention retention;
    private final long snapshotEvery;
    private final long snapshotEveryMillis;
    private final boolean forceEventsBeforeSnapshot;
    private final EventPublisher publisher;
    private final EventCollector collector;
    private final Disruptor<Slot> disruptor;
    private final RingBuffer<Slot> ring;
    private final List<Slot> batch = new ArrayList<>();
    /** Shard thread: the current batch has a command whose stages are recorded. */
    private boolean batchTimed;
    /** Shard thread: the current batch was sent to the standby. */
    private boolean replicatedBatch;
    /** Shard thread: queries in the current batch. */
    private int batchQueries;
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong liveOrders = new AtomicLong();
    private final AtomicLong engineFailures = new AtomicLong();
    private final AtomicLong droppedConsumers = new AtomicLong();
    private final AtomicLong republished = new AtomicLong();
    /** Value of {@link #processed} at the last snapshot. */
    private long sinceSnapshot;
    private long lastSnapshotClock;
    private long lastRetentionClock;
    private long previousSnapshotSeq;
    /** Last event sequence handed to the publisher. */
    private volatile long headSeq;
    private volatile boolean failed;
    /** Where each batch's costs go (shared by the process's shards). */
    private final ShardTimings timings;
    /** Null: no standby is ever sent anything (a single exchange, or a standby itself). */
    private final ReplicaSink replicas;
    /**
     * True while this shard is a standby: it takes only the leader's replicated commands, none of its
     * own callers'. Written on the shard thread ({@link #promote}).
     */
    private volatile boolean following;
    /** True once another process took the lead: nothing more runs here. */
    private volatile boolean fenced;

    ExchangeShard(int id, ShardedExchangeOptions options, EventPublisher publisher) {
        this(id, options, publisher, null, false, new ShardTimings());
    }

    /**
     * @param replicas where a leading shard sends each committed batch first; null: nowhere
     * @param follow   start as a standby that applies the leader's commands ({@link #submitReplicated})
     * @param timings  where each batch's journal commit, replication and size are recorded
     */
    ExchangeShard(int id, ShardedExchangeOptions options, EventPublisher publisher, ReplicaSink replicas,
                  boolean follow, ShardTimings timings) {
        this.id = id;
        this.timings = timings;
        this.replicas = replicas;
        this.following = follow;
        OrderBook.Factory books = options.bookFactory() == null ? FastOrderBook::new : options.bookFactory();
        this.engine = options.catalog() == null ? MatchingEngine.pure(books)
                : MatchingEngine.withRules(options.catalog(), options.calendar(), books);
        this.snapshotEvery = options.snapshotEveryCommands();
        this.snapshotEveryMillis = options.snapshotEveryMillis();
        this.forceEventsBeforeSnapshot = options.fsync() == FsyncPolicy.BATCH;
        this.retention = options.retention();
        this.consumers = new DurableConsumers(retention.maxConsumers());
        this.publisher = publisher;
        ShardStorage.Factory factory = options.storageFactory();
        this.storage = factory == null ? null : factory.open(id);
        this.journal = storage == null ? null : storage.journal();
        this.snapshots = storage == null ? null : storage.snapshots();
        this.events = storage == null ? null : storage.events();
        if (follow && storage == null) {
            throw new IllegalArgumentException("shard " + id + ": a standby needs storage for the leader's journal");
        }
        List<ExchangeEvent> unpublished = new ArrayList<>();
        long lastSeq = recover(unpublished);
        this.collector = new EventCollector(id, lastSeq);
        this.lastSnapshotClock = engine.clock();
        this.lastRetentionClock = engine.clock();
        republish(unpublished);
        this.headSeq = lastSeq;
        this.disruptor = new Disruptor<>(Slot::new, options.ringSize(),
                r -> {
                    Thread t = new Thread(r, "exchange-shard-" + id);
                    t.setDaemon(true);
                    return t;
                },
                ProducerType.MULTI, new BlockingWaitStrategy());
        this.disruptor.handleEventsWith(new Handler());
        this.ring = disruptor.start();
    }

    /** This shard's number in the exchange. */
    int index() {
        return id;
    }

    /**
     * Restores the latest snapshot and re-runs the journal tail; collects the recomputed events the
     * event log lacks (never published) into {@code unpublished} and logs them. Returns the last
     * event sequence.
     */
    private long recover(List<ExchangeEvent> unpublished) {
        if (storage == null) {
            return 0;
        }
        consumers.restore(storage.consumers().load());
        long journalSeq = 0;
        long eventSeq = 0;
        SnapshotStore.Snapshot s = snapshots.latest().orElse(null);
        if (s != null) {
            try {
                engine.restoreSnapshot(new DataInputStream(new ByteArrayInputStream(s.engineState())));
            } catch (IOException e) {
                throw new UncheckedIOException("shard " + id + ": unreadable snapshot at journal seq "
                        + s.journalSeq(), e);
            }
            journalSeq = s.journalSeq();
            eventSeq = s.eventSeq();
            previousSnapshotSeq = journalSeq;
        }
        if (events.lastSeq() < eventSeq) {
            // History lost (e.g. data written before the event log existed): continue the numbering;
            // consumers asking for the missing range are told to start from a snapshot.
            LOG.warning("shard " + id + ": event log ends at " + events.lastSeq() + " but the snapshot reflects events"
                    + " up to " + eventSeq + "; history before " + (eventSeq + 1) + " is not kept");
            events.resetAfter(eventSeq);
        }
        EventCollector replay = new EventCollector(id, eventSeq);
        long logged = events.lastSeq();
        long[] count = {0};
        journal.replay(journalSeq, c -> {
            for (ExchangeEvent e : process(c, replay, 0).events()) {
                if (e.seq() > logged) {
                    unpublished.add(e);
                }
            }
            count[0]++;
        });
        if (journal.lastSeq() < journalSeq) {
            throw new IllegalStateException("shard " + id + ": journal ends at " + journal.lastSeq()
                    + " but the snapshot covers up to " + journalSeq);
        }
        long last = replay.lastSeq();
        if (logged > last) {
            LOG.severe("shard " + id + ": event log holds events up to " + logged + " but the journal only yields "
                    + last + " (journal tail lost without fsync?); dropping the log's extra events");
            events.truncateAfter(last);
        }
        if (!unpublished.isEmpty()) {
            events.append(unpublished);
            events.commit();
        }
        liveOrders.set(engine.liveOrders());
        LOG.info(() -> "shard " + id + " recovered: snapshot at " + (s == null ? "none" : s.journalSeq())
                + ", replayed " + count[0] + " commands, " + unpublished.size() + " events to publish, last event "
                + last + ", state " + engine.stateHash());
        return last;
    }

    /** Publishes the recovered events before any new one: the ring is not started yet. */
    private void republish(List<ExchangeEvent> unpublished) {
        for (int from = 0; from < unpublished.size(); from += REPUBLISH_CHUNK) {
            publisher.publish(id, List.copyOf(unpublished.subList(from,
                    Math.min(unpublished.size(), from + REPUBLISH_CHUNK))));
        }
        republished.addAndGet(unpublished.size());
    }

    /**
     * Runs one command on the engine; the same code live and in recovery, so a command that makes the
     * engine throw leaves the same state and the same events both ways.
     */
    private CommandResult process(Command c, EventCollector into, long journalSeq) {
        into.begin(c);
        try {
            engine.process(c, into);
            return new CommandResult(journalSeq, List.copyOf(into.events()), into.code());
        } catch (RuntimeException e) {
            // A bug must not take the shard down with it (nor keep it from starting again): the events
            // emitted before the failure describe real state changes and stay on the feed.
            engineFailures.incrementAndGet();
            LOG.log(Level.SEVERE, "shard " + id + ": unexpected failure processing " + c, e);
            return new CommandResult(journalSeq, List.copyOf(into.events()), ResultCode.ENGINE_UNAVAILABLE);
        }
    }

    /** Hands a command to the shard; never blocks. */
    CompletableFuture<CommandResult> submit(Command c) {
        return submit(c, null);
    }

    /** As {@link #submit(Command)}, recording the command's stages into {@code stages} (null: not). */
    CompletableFuture<CommandResult> submit(Command c, CommandStages stages) {
        if (following || fenced) {
            // a standby runs only what its leader sends; a deposed leader runs nothing
            return CompletableFuture.completedFuture(CommandResult.refused(c, ResultCode.ENGINE_UNAVAILABLE));
        }
        return enqueue(c, 0, stages);
    }

    /**
     * A standby: hands over a command the leader journaled as {@code journalSeq}. It is journaled
     * here with the same seq (refused with JOURNAL_FAILURE when that is not the next one: a gap, a
     * repeat or another history) and run like any command; the result says when it is durable here.
     * Refused with ENGINE_UNAVAILABLE once this shard leads. Never blocks.
     */
    CompletableFuture<CommandResult> submitReplicated(long journalSeq, Command c) {
        if (!following || journalSeq < 1) {
            return CompletableFuture.completedFuture(CommandResult.refused(c, ResultCode.ENGINE_UNAVAILABLE));
        }
        return enqueue(c, journalSeq, null);
    }

    private CompletableFuture<CommandResult> enqueue(Command c, long replicaSeq, CommandStages stages) {
        CompletableFuture<CommandResult> f = new CompletableFuture<>();
        if (failed) {
            f.complete(CommandResult.refused(c, ResultCode.JOURNAL_FAILURE));
            return f;
        }
        long seq;
        try {
            seq = ring.tryNext();
        } catch (InsufficientCapacityException e) {
            f.complete(CommandResult.refused(c, ResultCode.ENGINE_OVERLOADED));
            return f;
        }
        Slot slot = ring.get(seq);
        slot.command = c;
        slot.future = f;
        slot.replicaSeq = replicaSeq;
        slot.stages = stages;
        ring.publish(seq);
        return f;
    }

    /**
     * A standby becomes the leader: every replicated command already in the ring runs first, later
     * ones are refused, and the shard's own callers are served. Completes on the shard thread with the
     * shard's last event sequence.
     */
    CompletableFuture<Long> promote() {
        return query((engine, seq) -> {
            following = false;
            return seq;
        });
    }

    /** True while this shard is a standby. */
    boolean following() {
        return following;
    }

    /** True once this shard learnt that another process leads it (it refuses everything). */
    boolean fenced() {
        return fenced;
    }

    /**
     * An image of the shard for a standby to start from: the engine's state as of the last journaled
     * command, with that journal seq and the last event seq. {@code taken} runs on the shard thread
     * right after, before the next batch, with the image's journal seq: every later batch goes to
     * whoever it registers. Fails when the shard cannot lead (a standby, failed or fenced).
     */
    CompletableFuture<SnapshotStore.Snapshot> image(java.util.function.LongConsumer taken) {
        // At the batch's end: then the engine has run every command the journal holds, and the batch's
        // commands were sent before the standby was attached (it gets only the batches after the image).
        return query((engine, seq) -> {
            if (following || failed || fenced || journal == null) {
                throw new IllegalStateException("shard " + id + " cannot give an image: "
                        + (following ? "it is a standby" : journal == null ? "it keeps no journal" : "it stopped"));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
            try {
                engine.writeSnapshot(new DataOutputStream(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long journalSeq = journal.lastSeq();
            taken.accept(journalSeq);
            return new SnapshotStore.Snapshot(journalSeq, seq, bytes.toByteArray());
        }, true);
    }

    /** Runs a read-only query on the shard thread between commands; never blocks the caller. */
    <T> CompletableFuture<T> query(Query<T> q) {
        return query(q, false);
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> query(Query<T> q, boolean atBatchEnd) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        long seq;
        try {
            seq = ring.tryNext();
        } catch (InsufficientCapacityException e) {
            f.completeExceptionally(new IllegalStateException("shard " + id + " is overloaded; retry later"));
            return (CompletableFuture<T>) (CompletableFuture<?>) f;
        }
        Slot slot = ring.get(seq);
        slot.query = q;
        slot.queryFuture = f;
        slot.atBatchEnd = atBatchEnd;
        ring.publish(seq);
        return (CompletableFuture<T>) (CompletableFuture<?>) f;
    }

    private final class Handler implements EventHandler<Slot> {
        @Override
        public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
            if (slot.stages != null) {
                slot.stages.dequeued(System.nanoTime());
                batchTimed = true;
            }
            if (slot.command != null && slot.replicaSeq > 0
                    && (!following || journal.lastSeq() + 1 != slot.replicaSeq)) {
                if (following) {
                    LOG.severe("shard " + id + ": the leader sent journal seq " + slot.replicaSeq + " but this standby"
                            + " is at " + journal.lastSeq() + "; refusing it (the standby must start again from an"
                            + " image)");
                }
                slot.journalSeq = -1; // not journaled: refused below
            } else if (journal != null && slot.command != null) {
                try {
                    slot.journalSeq = journal.append(slot.command);
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "shard " + id + ": journal append failed", e);
                    slot.journalSeq = -1;
                }
            }
            if (slot.query != null) {
                batchQueries++;
            }
            batch.add(slot);
            if (endOfBatch) {
                flushBatch();
            }
        }
    }

    private void flushBatch() {
        int commands = batch.size() - batchQueries;
        long committing = System.nanoTime();
        boolean durable = commitJournal();
        long journaled = System.nanoTime();
        durable = durable && replicate();
        long replicated = replicatedBatch ? System.nanoTime() : 0;
        if (commands > 0) {
            if (journal != null) {
                timings.journalCommit.record(journaled - committing);
            }
            if (replicated != 0) {
                timings.replication.record(replicated - journaled);
            }
            timings.batchCommands.record(commands);
        }
        List<ExchangeEvent> out = new ArrayList<>(batch.size() * 2);
        List<CommandResult> results = new ArrayList<>(batch.size());
        for (Slot slot : batch) {
            if (slot.query != null) {
                if (!slot.atBatchEnd) {
                    slot.queryResult = runQuery(slot);
                }
                results.add(null);
                continue;
            }
            if (!durable || slot.journalSeq < 0) {
                results.add(CommandResult.refused(slot.command,
                        fenced ? ResultCode.ENGINE_UNAVAILABLE : ResultCode.JOURNAL_FAILURE));
                continue;
            }
            long matchStarted = slot.stages != null ? System.nanoTime() : 0;
            CommandResult r = process(slot.command, collector, slot.journalSeq);
            if (slot.stages != null) {
                slot.stages.batch(journaled, replicated, commands);
                slot.stages.match(matchStarted, System.nanoTime());
            }
            out.addAll(r.events());
            results.add(r.code() == ResultCode.ENGINE_UNAVAILABLE ? CommandResult.refused(slot.command, r.code()) : r);
            processed.incrementAndGet();
        }
        if (!out.isEmpty()) {
            logEvents(out);
            headSeq = collector.lastSeq();
            publisher.publish(id, out);
        }
        if (batchTimed) {
            long published = System.nanoTime();
            for (Slot slot : batch) {
                if (slot.stages != null && slot.stages.matched() != 0) {
                    slot.stages.published(published);
                }
            }
            batchTimed = false;
        }
        for (Slot slot : batch) {
            if (slot.query != null && slot.atBatchEnd) {
                slot.queryResult = runQuery(slot);
            }
        }
        // Before the answers: a caller that got one reads a gauge that already counts its order.
        liveOrders.set(engine.liveOrders());
        replicatedBatch = false;
        batchQueries = 0;
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i));
        }
        batch.clear();
        maybeSnapshot(false);
        maybeRetain();
    }

    private boolean commitJournal() {
        if (journal == null) {
            return true;
        }
        try {
            journal.commit();
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "shard " + id + ": journal commit failed; refusing commands from now on", e);
            failed = true;
            return false;
        }
    }

    /**
     * A leader with a standby: sends the batch's journaled commands to it before any runs. False when
     * this shard was deposed (or cannot tell): then nothing of the batch runs, and nothing after it.
     */
    private boolean replicate() {
        if (replicas == null || following) {
            return true;
        }
        List<Command> sent = new ArrayList<>(batch.size());
        long first = -1;
        for (Slot slot : batch) {
            if (slot.command != null && slot.journalSeq > 0) {
                if (first < 0) {
                    first = slot.journalSeq;
                }
                sent.add(slot.command);
            }
        }
        if (sent.isEmpty()) {
            return true;
        }
        try {
            replicas.replicate(id, first, sent);
            replicatedBatch = true;
            return true;
        } catch (RuntimeException e) {
            // Deposed, or the register could not be told that the standby fell behind: running the batch
            // could acknowledge commands the new leader never sees. Stop here for good.
            fenced = true;
            LOG.log(Level.SEVERE, "shard " + id + ": " + (e instanceof ReplicaSink.FencedException
                    ? "another process leads this shard now" : "replication failed") + "; refusing commands from"
                    + " now on", e);
            return false;
        }
    }

    private void logEvents(List<ExchangeEvent> out) {
        if (events == null) {
            return;
        }
        try {
            events.append(out);
            events.commit();
        } catch (RuntimeException e) {
            // The commands are durable and the events recomputable, but the feed could no longer be
            // resumed exactly: stop taking commands, as for a journal failure.
            LOG.log(Level.SEVERE, "shard " + id + ": event log write failed; refusing commands from now on", e);
            failed = true;
        }
    }

    private Object runQuery(Slot slot) {
        try {
            return slot.query.run(engine, collector.lastSeq());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "shard " + id + ": query failed", e);
            return e;
        }
    }

    private static void complete(Slot slot, CommandResult result) {
        if (slot.query != null) {
            CompletableFuture<Object> f = slot.queryFuture;
            Object r = slot.queryResult;
            slot.query = null;
            slot.queryFuture = null;
            slot.queryResult = null;
            slot.atBatchEnd = false;
            if (r instanceof RuntimeException e) {
                f.completeExceptionally(e);
            } else {
                f.complete(r);
            }
            return;
        }
        CompletableFuture<CommandResult> f = slot.future;
        slot.command = null;
        slot.future = null;
        slot.replicaSeq = 0;
        slot.stages = null;
        f.complete(result);
    }

    private void maybeSnapshot(boolean force) {
        if (storage == null) {
            return;
        }
        if (lastSnapshotClock == 0) {
            lastSnapshotClock = engine.clock(); // a fresh engine's clock starts with its first command
        }
        long n = processed.get();
        boolean byCount = snapshotEvery > 0 && n - sinceSnapshot >= snapshotEvery;
        boolean byTime = snapshotEveryMillis > 0 && n > sinceSnapshot
                && engine.clock() - lastSnapshotClock >= snapshotEveryMillis;
        if (!force && !byCount && !byTime) {
            return;
        }
        sinceSnapshot = n;
        lastSnapshotClock = engine.clock();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
            engine.writeSnapshot(new DataOutputStream(bytes));
            long seq = journal.lastSeq();
            // The event log must cover every event the snapshot reflects, also after a power loss; with
            // fsync NONE nothing is promised across a power loss, and a kill -9 keeps what was written.
            if (forceEventsBeforeSnapshot) {
                events.force();
            }
            snapshots.save(new SnapshotStore.Snapshot(seq, collector.lastSeq(), bytes.toByteArray()));
            // Keep the journal back to the previous snapshot, so the older kept snapshot stays usable.
            journal.deleteUpTo(previousSnapshotSeq);
            previousSnapshotSeq = seq;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "shard " + id + ": snapshot failed; the journal still has everything", e);
        }
    }

    /** Drops laggard consumers, forgets history nobody needs, saves changed checkpoints. */
    private void maybeRetain() {
        if (lastRetentionClock == 0) {
            lastRetentionClock = engine.clock();
        }
        if (storage == null || engine.clock() - lastRetentionClock < RETENTION_EVERY_MILLIS) {
            return;
        }
        lastRetentionClock = engine.clock();
        retainNow();
    }

    private void retainNow() {
        try {
            long head = collector.lastSeq();
            List<String> dropped = consumers.dropLaggards(head, retention.maxLagEvents());
            if (!dropped.isEmpty()) {
                droppedConsumers.addAndGet(dropped.size());
                LOG.warning("shard " + id + ": durable consumers " + dropped + " fell more than "
                        + retention.maxLagEvents() + " events behind " + head + " and no longer hold history");
            }
            long cut = retention.deletableUpTo(events.firstSeq(), events.readableSeq(), engine.clock(),
                    consumers.minCheckpoint(), events::timestampOf);
            if (cut > 0) {
                events.deleteUpTo(cut);
            }
            if (consumers.takeDirty()) {
                storage.consumers().save(consumers.view());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "shard " + id + ": retention pass failed; history is kept", e);
        }
    }

    // ------------------------------------------------------------------ the feed (any thread)

    /**
     * Up to {@code max} events after {@code afterSeq}, read from the event log. Blocking file I/O:
     * call it off the event loop. Never a silent gap: history that is no longer kept answers
     * EVENTS_NOT_RETAINED.
     */
    FeedBatch replay(long afterSeq, int max) {
        long head = headSeq;
        long first = firstKeptSeq();
        if (afterSeq < 0 || max < 1) {
            return FeedBatch.refused(id, ResultCode.BAD_FEED_REQUEST, "after_seq must be >= 0 and max_events >= 1",
                    head, first);
        }
        if (afterSeq > head) {
            return FeedBatch.refused(id, ResultCode.BAD_FEED_REQUEST, "after_seq " + afterSeq
                    + " is beyond the shard's last event " + head, head, first);
        }
        if (afterSeq == head) {
            return FeedBatch.of(id, head, first, List.of());
        }
        if (events == null || afterSeq + 1 < first) {
            return notRetained(afterSeq, head, first);
        }
        List<ExchangeEvent> page = new ArrayList<>(Math.min(max, 4096));
        events.read(afterSeq, max, page::add);
        if (page.isEmpty() || page.get(0).seq() != afterSeq + 1) {
            return notRetained(afterSeq, head, firstKeptSeq()); // pruned while we read
        }
        return FeedBatch.of(id, Math.max(head, page.get(page.size() - 1).seq()), first, page);
    }

    private FeedBatch notRetained(long afterSeq, long head, long first) {
        return FeedBatch.refused(id, ResultCode.EVENTS_NOT_RETAINED, "events after " + afterSeq
                + " are no longer kept (oldest kept: " + first + "); start from a snapshot", head, first);
    }

    /** Slots of the ring claimed and not yet processed. Any thread (a racy but safe read). */
    long queuedCommands() {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    /** Oldest event sequence that can still be replayed ({@code head + 1} when none). */
    void prependHistory(List<ExchangeEvent> history) {
        if (events == null) {
            throw new IllegalStateException("shard " + id + " keeps no event log");
        }
        events.prependHistory(history);
    }

    long firstKeptSeq() {
        return events == null ? headSeq + 1 : Math.min(events.firstSeq(), headSeq + 1);
    }

    long headSeq() {
        return headSeq;
    }

    DurableConsumers consumers() {
        return consumers;
    }

    long processed() {
        return processed.get();
    }

    long liveOrders() {
        return liveOrders.get();
    }

    long engineFailures() {
        return engineFailures.get();
    }

    long droppedConsumers() {
        return droppedConsumers.get();
    }

    long republished() {
        return republished.get();
    }

    /** Drains the ring, snapshots, saves checkpoints, closes the storage. */
    void close() {
        disruptor.shutdown();
        if (storage != null) {
            if (!fenced && !failed) {
                // a stopped shard's journal may hold commands it never ran: a snapshot at its end would skip them
                maybeSnapshot(true);
            }
            retainNow();
            journal.close();
            events.close();
        }
    }

    /** State hash of the engine; only safe once the shard is closed or from its own thread. */
    String stateHashAfterClose() {
        return engine.stateHash();
    }
}
