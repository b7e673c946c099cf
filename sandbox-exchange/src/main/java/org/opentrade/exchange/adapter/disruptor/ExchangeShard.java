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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.exchange.adapter.file.FileCommandJournal;
import org.opentrade.exchange.adapter.file.FileSnapshotStore;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.domain.EventCollector;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.domain.MatchingEngine;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.port.EventPublisher;
import org.opentrade.exchange.port.SnapshotStore;

/**
 * One shard: a Disruptor ring in front of a single thread that owns one {@link MatchingEngine}.
 * For each batch the ring hands over, the thread first appends every command to the journal and
 * commits once (group commit), then processes the commands and publishes their events and
 * completes their futures — so no event is seen before its command is durable.
 *
 * <p>Single-threaded per shard: no locks in the engine; producers on any thread claim ring slots
 * without blocking ({@code tryNext}), and a full ring answers ENGINE_OVERLOADED.
 */
final class ExchangeShard {
    private static final Logger LOG = Logger.getLogger(ExchangeShard.class.getName());

    /** A ring slot: reused, never reallocated. */
    static final class Slot {
        Command command;
        CompletableFuture<CommandResult> future;
        long journalSeq;
    }

    private final int id;
    private final MatchingEngine engine;
    private final FileCommandJournal journal;
    private final FileSnapshotStore snapshots;
    private final long snapshotEvery;
    private final EventPublisher publisher;
    private final EventCollector collector;
    private final Disruptor<Slot> disruptor;
    private final RingBuffer<Slot> ring;
    private final List<Slot> batch = new ArrayList<>();
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong liveOrders = new AtomicLong();
    /** Value of {@link #processed} at the last snapshot. */
    private long sinceSnapshot;
    private long previousSnapshotSeq;
    private volatile boolean failed;

    ExchangeShard(int id, ShardedExchangeOptions options, EventPublisher publisher) {
        this.id = id;
        this.engine = options.catalog() == null ? MatchingEngine.pure()
                : MatchingEngine.withRules(options.catalog(), options.calendar());
        this.snapshotEvery = options.snapshotEveryCommands();
        this.publisher = publisher;
        if (options.journalDir() != null) {
            Path dir = options.journalDir().resolve("shard-" + id);
            this.journal = FileCommandJournal.open(dir.resolve("journal"), options.fsync());
            this.snapshots = new FileSnapshotStore(dir.resolve("snapshots"));
        } else {
            this.journal = null;
            this.snapshots = null;
        }
        this.collector = new EventCollector(recover());
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

    /** Restores the latest snapshot and replays the journal tail; returns the last event sequence. */
    private long recover() {
        if (journal == null) {
            return 0;
        }
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
        EventCollector replayCollector = new EventCollector(eventSeq);
        long[] count = {0};
        journal.replay(journalSeq, c -> {
            replayCollector.begin(c);
            engine.process(c, replayCollector);
            count[0]++;
        });
        if (journal.lastSeq() < journalSeq) {
            throw new IllegalStateException("shard " + id + ": journal ends at " + journal.lastSeq()
                    + " but the snapshot covers up to " + journalSeq);
        }
        liveOrders.set(engine.liveOrders());
        LOG.info(() -> "shard " + id + " recovered: snapshot at " + (s == null ? "none" : s.journalSeq())
                + ", replayed " + count[0] + " commands, state " + engine.stateHash());
        return replayCollector.lastSeq();
    }

    /** Hands a command to the shard; never blocks. */
    CompletableFuture<CommandResult> submit(Command c) {
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
        ring.publish(seq);
        return f;
    }

    private final class Handler implements EventHandler<Slot> {
        @Override
        public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
            if (journal != null) {
                try {
                    slot.journalSeq = journal.append(slot.command);
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "shard " + id + ": journal append failed", e);
                    slot.journalSeq = -1;
                }
            }
            batch.add(slot);
            if (endOfBatch) {
                flushBatch();
            }
        }
    }

    private void flushBatch() {
        boolean durable = true;
        if (journal != null) {
            try {
                journal.commit();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "shard " + id + ": journal commit failed; refusing commands from now on", e);
                durable = false;
                failed = true;
            }
        }
        for (Slot slot : batch) {
            Command c = slot.command;
            CompletableFuture<CommandResult> f = slot.future;
            long journalSeq = slot.journalSeq;
            slot.command = null;
            slot.future = null;
            if (!durable || journalSeq < 0) {
                f.complete(CommandResult.refused(c, ResultCode.JOURNAL_FAILURE));
                continue;
            }
            CommandResult result;
            try {
                collector.begin(c);
                engine.process(c, collector);
                List<ExchangeEvent> events = List.copyOf(collector.events());
                result = new CommandResult(journalSeq, events, collector.code());
                if (!events.isEmpty()) {
                    publisher.publish(events);
                }
            } catch (RuntimeException e) {
                // A bug must not take the shard down with it; the command is in the journal, so the
                // same failure will show on replay and can be diagnosed there.
                LOG.log(Level.SEVERE, "shard " + id + ": unexpected failure processing " + c, e);
                result = CommandResult.refused(c, ResultCode.ENGINE_UNAVAILABLE);
            }
            processed.incrementAndGet();
            f.complete(result);
        }
        batch.clear();
        liveOrders.set(engine.liveOrders());
        maybeSnapshot(false);
    }

    private void maybeSnapshot(boolean force) {
        if (journal == null) {
            return;
        }
        long n = processed.get();
        if (!force && (snapshotEvery == 0 || n - sinceSnapshot < snapshotEvery)) {
            return;
        }
        sinceSnapshot = n;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
            engine.writeSnapshot(new DataOutputStream(bytes));
            long seq = journal.lastSeq();
            snapshots.save(new SnapshotStore.Snapshot(seq, collector.lastSeq(), bytes.toByteArray()));
            // Keep the journal back to the previous snapshot, so the older kept snapshot stays usable.
            journal.deleteUpTo(previousSnapshotSeq);
            previousSnapshotSeq = seq;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "shard " + id + ": snapshot failed; the journal still has everything", e);
        }
    }

    long processed() {
        return processed.get();
    }

    long liveOrders() {
        return liveOrders.get();
    }

    /** Drains the ring, snapshots, closes the journal. */
    void close() {
        disruptor.shutdown();
        if (journal != null) {
            maybeSnapshot(true);
            journal.close();
        }
    }

    /** State hash of the engine; only safe once the shard is closed or from its own thread. */
    String stateHashAfterClose() {
        return engine.stateHash();
    }
}
