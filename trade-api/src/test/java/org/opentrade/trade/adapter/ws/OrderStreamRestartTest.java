package org.opentrade.trade.adapter.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.trade.adapter.ws.OrderStreamTestKit.ALICE;
import static org.opentrade.trade.adapter.ws.OrderStreamTestKit.fill;
import static org.opentrade.trade.adapter.ws.OrderStreamTestKit.order;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.adapter.file.FileStreamJournal;
import org.opentrade.trade.adapter.ws.OrderStreamTestKit.TestClient;
import org.opentrade.trade.port.StreamJournal;

/**
 * The order stream across a restart (issue 15: a stream resumes on the next process from its last seq): each
 * "process" is a stream on a {@link FileStreamJournal} over the same directory, the second taking over with what
 * the first recorded, the restored snapshot's mark and the replay's updates, as trade-api does.
 */
class OrderStreamRestartTest {
    private static final StreamJournal.Mark MARK = new StreamJournal.Mark(7, Map.of(0, 100L));

    @TempDir
    Path dir;

    private final List<OrderStreamTestKit> kits = new ArrayList<>();
    private final List<FileStreamJournal> journals = new ArrayList<>();

    @AfterEach
    void tearDown() {
        kits.forEach(OrderStreamTestKit::close);
        journals.forEach(FileStreamJournal::close);
    }

    /** A process: its journal loaded, its stream taking over from {@code restored} (null: the ledger from nothing). */
    private OrderStreamTestKit process(StreamJournal.Mark restored, Map<String, Long> snapshotSeqs) {
        FileStreamJournal journal = new FileStreamJournal(dir);
        journals.add(journal);
        StreamJournal.Recorded recorded = journal.load();
        OrderStreamTestKit kit = new OrderStreamTestKit(OrderStreamOptions.defaults(), journal,
                StreamHistory.of("epoch-" + journals.size(), recorded, restored, snapshotSeqs));
        kits.add(kit);
        return kit;
    }

    /** A process killed: its stream stops answering, its journal keeps what it flushed and loses the rest. */
    private void crash(OrderStreamTestKit kit) {
        kit.close();
        kits.remove(kit);
    }

    private static JsonObject frame(long seq, String type, JsonObject data) {
        return new JsonObject().put("channel", "orders").put("seq", seq).put("type", type).put("data", data);
    }

    private static List<JsonObject> frames(TestClient c, int n) {
        List<JsonObject> out = new ArrayList<>();
        while (out.size() < n) {
            out.add(c.nextNonHeartbeat());
        }
        return out;
    }

    private static Map<String, Long> seqs(long alice) {
        Map<String, Long> m = new HashMap<>();
        m.put(ALICE, alice);
        return m;
    }

    /** The first process, with a subscriber and the epoch it was told. */
    private record First(OrderStreamTestKit kit, TestClient client, String epoch) {
        /** Publishes orders {@code o<from>}..{@code o<to>}, status new, at those seqs. */
        /** The ledger snapshot {@link #MARK} is taken here. */
        void mark() {
            kit.onOwner(() -> kit.streams.mark(MARK.intentIndex(), MARK.feedPositions()));
        }

        void publishNew(long from, long to) {
            for (long seq = from; seq <= to; seq++) {
                kit.publish(ALICE, seq, "order", order("o" + seq, "new"));
            }
        }
    }

    /** A first process (nothing recorded before it) and a client subscribed afresh (its empty snapshot read). */
    private First firstProcess() {
        OrderStreamTestKit kit = process(null, Map.of());
        TestClient c = kit.connect(ALICE);
        c.subscribe();
        String epoch = c.expectType("subscribed").getString("epoch");
        c.untilPong();
        return new First(kit, c, epoch);
    }

    /** Connects to {@code kit}, resumes from {@code seq} of {@code epoch}: what it is sent before a pong. */
    private static List<JsonObject> resumed(OrderStreamTestKit kit, long seq, String epoch) {
        TestClient c = kit.connect(ALICE);
        c.subscribe(seq, epoch);
        c.expectType("subscribed");
        return c.untilPong();
    }

    @Test
    void aClientResumesOnTheNextProcessFromItsLastSeqWithExactlyTheFramesItMissed() {
        First f = firstProcess();
        f.publishNew(1, 5);
        List<JsonObject> seen = frames(f.client(), 5);
        f.mark();
        crash(f.kit());

        OrderStreamTestKit second = process(MARK, seqs(5));
        second.onOwner(() -> second.streams.endRecovery((account, id) -> null));
        TestClient resumed = second.connect(ALICE);
        resumed.subscribe(3, f.epoch());
        JsonObject subscribed = resumed.expectType("subscribed");
        assertNotEquals(f.epoch(), subscribed.getString("epoch"), "each process has its own epoch");
        assertEquals(seen.subList(3, 5), resumed.untilPong(), "the frames after 3, as the first process sent them");
        second.publish(ALICE, 6, "fill", fill("f6", "o5"));
        assertEquals(frame(6, "fill", fill("f6", "o5")), resumed.nextNonHeartbeat());

        assertEquals(List.of(frame(6, "fill", fill("f6", "o5"))), resumed(second, 5, f.epoch()));
    }

    @Test
    void theReplaySendsNothingTwiceAndNumbersWhatIsNewAfterWhatWasSent() {
        First f = firstProcess();
        f.publishNew(1, 3);
        f.mark();
        f.kit().publish(ALICE, 4, "order", order("o1", "partially_filled"));
        f.kit().publish(ALICE, 5, "fill", fill("f1", "o1"));
        List<JsonObject> seen = frames(f.client(), 5);
        crash(f.kit());

        // The replay from the snapshot at seq 3 makes the two updates again, in another order (another
        // interleaving of the shards' events), then one the first process never made.
        OrderStreamTestKit second = process(MARK, seqs(3));
        assertEquals(-1L, second.publish(ALICE, 4, "fill", fill("f1", "o1")), "sent before the restart");
        assertEquals(-1L, second.publish(ALICE, 5, "order", order("o1", "partially_filled")), "sent before the restart");
        assertEquals(6L, second.publish(ALICE, 6, "order", order("o1", "filled")), "new: after everything sent");
        Map<String, Long> heads = second.onOwner(() -> second.streams.endRecovery(
                (account, id) -> "o1".equals(id) ? order("o1", "filled") : null));
        assertEquals(6L, heads.get(ALICE), "what the ledger follows on from");
        assertEquals(0L, second.onOwner(() -> second.streams.ordersReconciled()), "o1's last frame is its state");
        assertEquals(7L, second.publish(ALICE, 7, "order", order("o2", "canceled")), "the ledger's numbering again");

        List<JsonObject> expected = new ArrayList<>(seen.subList(3, 5));
        expected.add(frame(6, "order", order("o1", "filled")));
        expected.add(frame(7, "order", order("o2", "canceled")));
        assertEquals(expected, resumed(second, 3, f.epoch()));
    }

    @Test
    void aFrameTheJournalLostIsNeverVouchedFor() throws IOException {
        First f = firstProcess();
        f.publishNew(1, 4);
        frames(f.client(), 4);
        crash(f.kit());
        tearLastBytes(7); // a power loss: the OS had not written the end of frame 4

        OrderStreamTestKit second = process(null, Map.of());
        second.onOwner(() -> second.streams.endRecovery((account, id) -> order(id, "new")));
        assertEquals(3L, second.onOwner(() -> second.streams.head(ALICE)), "the journal kept frames 1 to 3");
        JsonObject start = resumed(second, 4, f.epoch()).get(0);
        assertEquals("snapshot", start.getString("type"));
        assertEquals(Boolean.FALSE, start.getBoolean("resumed"), "seq 4 of the first epoch may be another frame here");

        assertEquals(List.of(), resumed(second, 3, f.epoch()), "3 is what the journal holds: nothing missed");
    }

    @Test
    void atTheEndOfTheReplayALostOrderIsSentRejectedAndAChangedOneAsItNowIs() {
        First f = firstProcess();
        f.kit().publish(ALICE, 1, "order", order("o8", "new"));
        f.mark();
        f.kit().publish(ALICE, 2, "order", order("o9", "pending_new")); // its intent was never durable
        f.kit().publish(ALICE, 3, "order", order("o8", "pending_cancel")); // nor was this cancel's
        frames(f.client(), 3);
        crash(f.kit());

        OrderStreamTestKit second = process(MARK, seqs(1));
        second.onOwner(() -> second.streams.endRecovery((account, id) -> "o8".equals(id) ? order("o8", "new") : null));
        List<JsonObject> got = resumed(second, 3, f.epoch());
        JsonObject lost = order("o9", "rejected").put("leaves_qty", 0).put("reject_reason", StreamHistory.LOST_ORDER_REASON);
        assertEquals(List.of(frame(4, "order", lost), frame(5, "order", order("o8", "new"))), got);
    }

    @Test
    void aLostOrdersRejectionIsSentOnceAndNotAgainAtTheNextStart() {
        First f = firstProcess();
        f.kit().publish(ALICE, 1, "order", order("o8", "new"));
        f.mark();
        f.kit().publish(ALICE, 2, "order", order("o9", "pending_new")); // its intent was never durable
        frames(f.client(), 2);
        crash(f.kit());
        OrderStreamTestKit second = process(MARK, seqs(1));
        java.util.function.BiFunction<String, String, JsonObject> replayed = (account, id) -> "o8".equals(id)
                ? order("o8", "new") : null;
        Map<String, Long> heads = second.onOwner(() -> second.streams.endRecovery(replayed));
        assertEquals(3L, heads.get(ALICE), "the lost order's rejection went out as 3");
        journals.get(journals.size() - 1).flush();
        crash(second);

        // The next start (from the same snapshot, or a rebuild from nothing) finds that rejection as o9's last
        // frame: it tells nothing again, so its seqs equal the second's and a restart equals a rebuild.
        for (StreamJournal.Mark restored : java.util.Arrays.asList(MARK, null)) {
            OrderStreamTestKit next = process(restored, restored == null ? Map.of() : seqs(1));
            Map<String, Long> after = next.onOwner(() -> next.streams.endRecovery(replayed));
            assertEquals(3L, after.get(ALICE), "restored from " + restored);
            assertEquals(0, next.streams.ordersReconciled(), "restored from " + restored);
            JsonObject lost = order("o9", "rejected").put("leaves_qty", 0).put("reject_reason", StreamHistory.LOST_ORDER_REASON);
            assertEquals(List.of(frame(3, "order", lost)), resumed(next, 2, f.epoch()), "the rejection once, restored from "
                    + restored);
            crash(next);
        }
    }

    @Test
    void withoutTheRestoredSnapshotsMarkNothingIsVouchedForAndTheJournalStartsOver() {
        First f = firstProcess();
        f.kit().publish(ALICE, 1, "order", order("o1", "new"));
        frames(f.client(), 1);
        crash(f.kit());

        OrderStreamTestKit second = process(new StreamJournal.Mark(99, Map.of(0, 1L)), seqs(1));
        assertEquals(1L, second.publish(ALICE, 1, "order", order("o1", "new")),
                "no recovery without a match: the ledger's seqs as given, as before the journal");
        assertEquals(Boolean.FALSE, resumed(second, 1, f.epoch()).get(0).getBoolean("resumed"));
        crash(second);
        journals.forEach(FileStreamJournal::close);

        FileStreamJournal third = new FileStreamJournal(dir);
        journals.add(third);
        StreamJournal.Recorded recorded = third.load();
        assertFalse(recorded.fromOrigin(), "a barrier: what came before cannot be matched");
        List<StreamJournal.Entry> generations = recorded.entries().stream()
                .filter(e -> e instanceof StreamJournal.Generation).toList();
        assertEquals(List.of("epoch-2"), generations.stream().map(e -> ((StreamJournal.Generation) e).epoch()).toList(),
                "only what the second process recorded after its barrier");
    }

    @Test
    void anOrderWhoseOnlyReplayedFrameWentOutInRecoveryAndWasDroppedIsNotToldAsLost() {
        First f = firstProcess();
        f.kit().publish(ALICE, 1, "order", order("o1", "new"));
        frames(f.client(), 1);
        f.mark();
        crash(f.kit()); // o1's cancel came after the mark and was never journaled (or: made only by the replay)

        OrderStreamTestKit second = process(MARK, seqs(1));
        assertEquals(2L, second.publish(ALICE, 2, "order", order("o1", "canceled")), "the replay's cancel goes out");
        // ...then the replay closes more orders and the ledger's bounded history drops o1: not the ledger's any more.
        second.onOwner(() -> second.streams.endRecovery((account, id) -> null));
        assertEquals(0L, second.onOwner(() -> second.streams.ordersReconciled()),
                "o1's last frame (canceled) is how the replay left it: nothing to tell (review)");
    }

    private void tearLastBytes(int n) throws IOException {
        Path last;
        try (Stream<Path> files = Files.list(dir)) {
            last = files.filter(p -> p.getFileName().toString().startsWith("journal-")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - n);
        }
    }
}
