package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.adapter.file.FileSnapshotStore;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.port.IntentStore;
import org.opentrade.trade.port.SnapshotStore;

/**
 * The periodic snapshot is taken on time under a steady order flow: the state is taken at the tick with the
 * intents in flight it includes, and stored once they are durable, never before (a crash could lose them);
 * {@code /metrics} shows the last one stored.
 */
class TradeSnapshotInFlightTest {
    @TempDir
    Path dir;

    /** An intent store whose durability acknowledgements are held back while {@link #hold} is on. */
    static final class HeldIntentStore extends DelegatingIntentStore {
        private final List<Runnable> held = new ArrayList<>();
        private boolean holding;

        HeldIntentStore(IntentStore store) {
            super(store);
        }

        synchronized void hold() {
            holding = true;
        }

        void release() {
            List<Runnable> due;
            synchronized (this) {
                holding = false;
                due = new ArrayList<>(held);
                held.clear();
            }
            due.forEach(Runnable::run);
        }

        @Override
        public boolean append(Intent intent, LongConsumer durable) {
            return store.append(intent, index -> {
                synchronized (this) {
                    if (holding) {
                        held.add(() -> durable.accept(index));
                        return;
                    }
                }
                durable.accept(index);
            });
        }
    }

    /**
     * The newest stored snapshot, read from a copy of the finished files: opening a store on the live
     * directory would delete the temporary file of a write in progress.
     */
    private Optional<SnapshotStore.Snapshot> latest() {
        Path live = dir.resolve("trade/snapshots");
        for (int attempt = 0; ; attempt++) {
            try {
                Path copy = Files.createTempDirectory(dir, "read-");
                if (Files.exists(live)) {
                    try (Stream<Path> files = Files.list(live)) {
                        for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".snap")).toList()) {
                            Files.copy(p, copy.resolve(p.getFileName()));
                        }
                    }
                }
                return new FileSnapshotStore(copy).latest();
            } catch (java.io.IOException e) {
                if (attempt == 10) {
                    throw new java.io.UncheckedIOException(e);
                }
                // a file pruned while it was being copied: read again
            }
        }
    }

    /**
     * Holds the store's acknowledgements back and places a resting buy of dev_a: once this returns, its
     * intent is appended and applied, not durable.
     */
    private static Future<HttpResponse<Buffer>> placeHeldBack(TradeHarness h, HeldIntentStore store, String clientOrderId)
            throws Exception {
        store.hold();
        Future<HttpResponse<Buffer>> answer = h.request(HttpMethod.POST, "dev_a", "/v1/orders")
                .sendJsonObject(TradeHarness.limit(clientOrderId, "601398.SH", "buy", "7.00", 400));
        h.untilDeskBusy();
        return answer;
    }

    /** Runs the periodic snapshot now; returns the index after the last durable intent. */
    private static long snapshotNow(TradeHarness h) throws Exception {
        return h.onTrade(() -> {
            h.trade.snapshot();
            return h.trade.desk().lastIntentApplied() + 1;
        });
    }

    @Test
    void aSnapshotTakenWithAnIntentInFlightIsStoredOnceItIsDurableAndTheMetricsShowTheLastOneStored() throws Exception {
        HeldIntentStore[] store = new HeldIntentStore[1];
        try (TradeHarness h = TradeHarness.start(dir, java.util.Map.of(), true, s -> store[0] = new HeldIntentStore(s))) {
            assertTrue(h.trade.metrics().contains("trade_snapshot_age_seconds -1\n"), "none stored yet: " + h.trade.metrics());
            assertEquals(201, h.order("dev_a", TradeHarness.limit("a1", "601398.SH", "buy", "7.00", 100)).statusCode());
            long first = snapshotNow(h) - 1; // nothing in flight: taken at once, covering a1
            h.until(() -> latest().filter(s -> s.intentIndex() == first).isPresent(), 10);
            h.until(() -> h.trade.metrics().contains("trade_snapshot_intent_index " + first + "\n"), 10);
            assertTrue(h.trade.metrics().matches("(?s).*\ntrade_snapshot_age_seconds [0-9]+\n.*"), h.trade.metrics());

            // a2's intent is appended and applied, not durable: the snapshot is taken now, covering a2, and
            // waits for a2 to be durable before it is stored.
            Future<HttpResponse<Buffer>> a2 = placeHeldBack(h, store[0], "a2");
            long second = h.onTrade(() -> {
                h.trade.snapshot();
                return h.trade.desk().lastIntentAppended();
            });
            assertTrue(second > first, "a2 appended after a1");
            assertTrue(h.onTrade(() -> h.trade.snapshotPending()), "taken, waiting for a2 to be durable");
            Thread.sleep(300); // time a snapshot would need to be written, were it not waiting
            assertEquals(first, latest().orElseThrow().intentIndex(), "nothing stored with a2's intent in flight");
            assertTrue(h.trade.metrics().contains("trade_snapshot_intent_index " + first + "\n"), h.trade.metrics());

            store[0].release(); // no other tick: the waiting snapshot is stored once a2 is durable
            assertEquals(201, TradeHarness.await(a2).statusCode());
            h.until(() -> latest().filter(s -> s.intentIndex() == second).isPresent(), 10);
            h.until(() -> h.trade.metrics().contains("trade_snapshot_intent_index " + second + "\n"), 10);
            assertFalse(h.onTrade(() -> h.trade.snapshotPending()), "stored");
        }
    }
}
