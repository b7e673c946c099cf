package org.opentrade.trade.adapter.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.trade.adapter.ws.OrderStreamTestKit.ALICE;
import static org.opentrade.trade.adapter.ws.OrderStreamTestKit.BOB;
import static org.opentrade.trade.adapter.ws.OrderStreamTestKit.fill;
import static org.opentrade.trade.adapter.ws.OrderStreamTestKit.order;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.trade.adapter.ws.OrderStreamTestKit.TestClient;
import org.opentrade.trade.domain.stream.RetentionOptions;

class OrderStreamsTest {
    private OrderStreamTestKit kit;

    private OrderStreamTestKit kit(OrderStreamOptions options) {
        kit = new OrderStreamTestKit(options);
        return kit;
    }

    @AfterEach
    void tearDown() {
        if (kit != null) {
            kit.close();
        }
    }

    private static JsonObject frame(long seq, String type, JsonObject data) {
        return new JsonObject().put("channel", "orders").put("seq", seq).put("type", type).put("data", data);
    }

    private static JsonObject snapshotStart(long seq, int openOrders, boolean gap) {
        JsonObject f = new JsonObject().put("channel", "orders").put("seq", seq).put("type", "snapshot")
                .put("snapshot", true);
        if (gap) {
            f.put("resumed", false);
        }
        return f.put("data", new JsonObject().put("open_orders", openOrders));
    }

    private static JsonObject snapshotOrder(long seq, JsonObject order) {
        return new JsonObject().put("channel", "orders").put("seq", seq).put("type", "order").put("snapshot", true)
                .put("data", order);
    }

    private static List<JsonObject> frames(TestClient c, int n) {
        List<JsonObject> out = new ArrayList<>();
        while (out.size() < n) {
            out.add(c.nextNonHeartbeat());
        }
        return out;
    }

    @Test
    void subscribeAnswersTheHeadSeqThenASnapshotOfTheOpenOrders() {
        kit(OrderStreamOptions.defaults());
        kit.publish(ALICE, 1, "order", order("1", "new"));
        kit.publish(ALICE, 2, "order", order("2", "new"));
        kit.openOrders.put(ALICE, List.of(order("1", "new"), order("2", "new")));
        TestClient c = kit.connect(ALICE);

        JsonObject subscribed = c.subscribed();
        assertEquals(new JsonArray().add("orders"), subscribed.getJsonArray("channels"));
        assertEquals(2L, subscribed.getJsonObject("seqs").getLong("orders"));
        assertTrue(subscribed.getString("epoch").matches("[0-9a-f]{16}"), subscribed.encode());
        assertFalse(subscribed.containsKey("seq"), "control frames carry no seq");
        assertEquals(List.of(snapshotStart(2, 2, false), snapshotOrder(2, order("1", "new")),
                snapshotOrder(2, order("2", "new"))), c.untilPong());

        c.subscribe();
        assertEquals(2L, c.expectType("subscribed").getJsonObject("seqs").getLong("orders"));
        assertEquals(List.of(), c.untilPong(), "already subscribed: nothing is sent again");
        assertEquals(1, kit.streams.stats().subscriptions());
    }

    @Test
    void anAccountsNewSubscriptionsComeTwentyAtOnceThenOneASecondAndAreNeverRefused() {
        kit(OrderStreamOptions.defaults());
        int immediate = 0;
        TestClient deferred = null;
        // Each subscription reads and sends every open order of the account: in a loop it held the trade context.
        for (int i = 0; i < 60 && deferred == null; i++) {
            TestClient c = kit.connect(ALICE);
            c.subscribe();
            if (c.untilPong().stream().anyMatch(f -> "subscribed".equals(f.getString("type")))) {
                immediate++;
            } else {
                deferred = c; // waits its turn; the ping was answered first
            }
        }
        assertNotNull(deferred, "a subscription beyond the budget waits");
        assertTrue(immediate >= OrderStreams.SUBSCRIBE_BURST, immediate + " at once");
        deferred.expectType("subscribed"); // then comes, not refused
        TestClient bob = kit.connect(BOB);
        bob.subscribe();
        assertTrue(bob.untilPong().stream().anyMatch(f -> "subscribed".equals(f.getString("type"))),
                "another account's budget is its own");
    }

    @Test
    void updatesCarryTheLedgersSeqAsPublishedWithTheirType() {
        kit(OrderStreamOptions.defaults());
        kit.ledgerHeads.put(ALICE, 100L);
        TestClient c = kit.connect(ALICE);
        assertEquals(100L, c.subscribed().getJsonObject("seqs").getLong("orders"), "the ledger's head, not 0");
        assertEquals(List.of(snapshotStart(100, 0, false)), c.untilPong());

        List<JsonObject> published = new ArrayList<>();
        for (long seq = 101; seq <= 130; seq++) {
            String type = seq % 3 == 0 ? "fill" : "order";
            JsonObject data = type.equals("fill") ? fill("f" + seq, "o" + seq) : order("o" + seq, "new");
            assertEquals(seq, kit.publish(ALICE, seq, type, data), "the seq is kept, not renumbered");
            published.add(frame(seq, type, data));
        }
        assertEquals(published, frames(c, published.size()));
    }

    @Test
    void aConnectionOnlyEverReceivesItsOwnAccountsFrames() {
        kit(OrderStreamOptions.defaults());
        kit.openOrders.put(ALICE, List.of(order("a-open", "new")));
        kit.openOrders.put(BOB, List.of(order("b-open", "new")));
        TestClient alice = kit.connect(ALICE);
        TestClient bob = kit.connect(BOB);
        alice.subscribed();
        assertEquals(List.of(snapshotStart(0, 1, false), snapshotOrder(0, order("a-open", "new"))), alice.untilPong());
        // A client cannot ask for another account: a frame naming one is refused, and nothing is subscribed.
        bob.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("orders"))
                .put("account", ALICE).put("developer_id", ALICE));
        JsonObject refused = bob.expectType("error");
        assertTrue(refused.getString("error").startsWith("unknown member 'account'"), refused.encode());
        bob.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("orders")));
        bob.expectType("subscribed");
        assertEquals(List.of(snapshotStart(0, 1, false), snapshotOrder(0, order("b-open", "new"))), bob.untilPong());

        List<JsonObject> toAlice = new ArrayList<>();
        List<JsonObject> toBob = new ArrayList<>();
        long aliceSeq = 0;
        long bobSeq = 0;
        for (int i = 1; i <= 40; i++) {
            if (i % 2 == 0) {
                kit.publish(ALICE, ++aliceSeq, "order", order("a" + i, "new"));
                toAlice.add(frame(aliceSeq, "order", order("a" + i, "new")));
            } else {
                kit.publish(BOB, ++bobSeq, "fill", fill("b" + i, "b" + i));
                toBob.add(frame(bobSeq, "fill", fill("b" + i, "b" + i)));
            }
        }
        assertEquals(toAlice, alice.untilPong(), "exactly Alice's updates, nothing of Bob's");
        assertEquals(toBob, bob.untilPong(), "exactly Bob's updates, nothing of Alice's");

        TestClient bobResuming = kit.connect(BOB);
        bobResuming.subscribe(0, null);
        assertEquals(20L, bobResuming.expectType("subscribed").getJsonObject("seqs").getLong("orders"),
                "Bob's head, not Alice's");
        assertEquals(toBob, bobResuming.untilPong(), "a resume replays the caller's own log only");
    }

    @Test
    void resumeInWindowSendsExactlyTheMissedUpdates() {
        kit(OrderStreamOptions.defaults());
        TestClient first = kit.connect(ALICE);
        String epoch = first.subscribed().getString("epoch");
        first.untilPong();
        for (long seq = 1; seq <= 5; seq++) {
            kit.publish(ALICE, seq, "order", order("o" + seq, "new"));
        }
        assertEquals(5L, frames(first, 5).get(4).getLong("seq"));
        first.close();
        List<JsonObject> missed = new ArrayList<>();
        for (long seq = 6; seq <= 10; seq++) {
            kit.publish(ALICE, seq, "fill", fill("f" + seq, "o1"));
            missed.add(frame(seq, "fill", fill("f" + seq, "o1")));
        }

        TestClient second = kit.connect(ALICE);
        second.subscribe(5, epoch);
        assertEquals(10L, second.expectType("subscribed").getJsonObject("seqs").getLong("orders"));
        assertEquals(missed, second.untilPong(), "6..10 once each, no snapshot, nothing else");
        kit.publish(ALICE, 11, "order", order("o11", "filled"));
        assertEquals(frame(11, "order", order("o11", "filled")), second.nextNonHeartbeat());

        TestClient upToDate = kit.connect(ALICE);
        upToDate.subscribe(11, epoch);
        upToDate.expectType("subscribed");
        assertEquals(List.of(), upToDate.untilPong(), "resume at the head: nothing to send");
    }

    @Test
    void resumeOutOfWindowGetsAFlaggedSnapshotFollowedByTheOpenOrders() {
        kit(OrderStreamOptions.defaults().withRetention(new RetentionOptions(5, 60_000)));
        for (long seq = 1; seq <= 20; seq++) {
            kit.publish(ALICE, seq, "order", order("o" + seq, "new"));
        }
        kit.openOrders.put(ALICE, List.of(order("o19", "new"), order("o20", "partially_filled")));
        List<JsonObject> expected = List.of(snapshotStart(20, 2, true), snapshotOrder(20, order("o19", "new")),
                snapshotOrder(20, order("o20", "partially_filled")));

        TestClient tooOld = kit.connect(ALICE);
        tooOld.subscribe(3, null);
        tooOld.expectType("subscribed");
        assertEquals(expected, tooOld.untilPong(), "4..15 are no longer retained (count bound)");

        TestClient fromTheFuture = kit.connect(ALICE);
        fromTheFuture.subscribe(99, null);
        fromTheFuture.expectType("subscribed");
        assertEquals(expected, fromTheFuture.untilPong(), "99 is newer than the head");

        kit.clock.addAndGet(60_001);
        TestClient expired = kit.connect(ALICE);
        expired.subscribe(18, null);
        expired.expectType("subscribed");
        assertEquals(expected, expired.untilPong(), "19 and 20 are older than the age bound");

        kit.publish(ALICE, 21, "order", order("o21", "new"));
        for (TestClient c : List.of(tooOld, fromTheFuture, expired)) {
            assertEquals(21L, c.nextNonHeartbeat().getLong("seq"), "live updates follow the snapshot");
        }
    }

    @Test
    void resumeWithTheEpochOfAnotherProcessGetsAFlaggedSnapshotEvenInWindow() {
        kit(OrderStreamOptions.defaults());
        for (long seq = 1; seq <= 5; seq++) {
            kit.publish(ALICE, seq, "order", order("o" + seq, "new"));
        }
        kit.openOrders.put(ALICE, List.of(order("o5", "new")));
        TestClient c = kit.connect(ALICE);
        c.subscribe(3, "0123456789abcdef");
        c.expectType("subscribed");
        assertEquals(List.of(snapshotStart(5, 1, true), snapshotOrder(5, order("o5", "new"))), c.untilPong());
        kit.publish(ALICE, 6, "fill", fill("f6", "o5"));
        assertEquals(6L, c.nextNonHeartbeat().getLong("seq"));
    }

    @Test
    void afterARestartAResumeAtTheLedgersHeadGetsNothingTwice() {
        kit(OrderStreamOptions.defaults());
        kit.ledgerHeads.put(ALICE, 41L); // the ledger was rebuilt; this process has published nothing yet
        TestClient c = kit.connect(ALICE);
        c.subscribe(41, null);
        assertEquals(41L, c.expectType("subscribed").getJsonObject("seqs").getLong("orders"));
        assertEquals(List.of(), c.untilPong());
        kit.publish(ALICE, 42, "order", order("o42", "canceled"));
        assertEquals(frame(42, "order", order("o42", "canceled")), c.nextNonHeartbeat());

        TestClient behind = kit.connect(ALICE);
        behind.subscribe(40, null);
        behind.expectType("subscribed");
        assertEquals(List.of(snapshotStart(42, 0, true)), behind.untilPong(), "41 was sent by the previous process");
    }

    @Test
    void aRepeatedSeqIsNotSentAndASkippedSeqGivesSubscribersAFlaggedSnapshot() {
        kit(OrderStreamOptions.defaults());
        TestClient c = kit.connect(ALICE);
        c.subscribed();
        c.untilPong();
        kit.publish(ALICE, 1, "order", order("o1", "new"));
        assertEquals(-1L, kit.publish(ALICE, 1, "order", order("o1", "new")), "a repeat of seq 1");
        assertEquals(List.of(frame(1, "order", order("o1", "new"))), c.untilPong());

        kit.openOrders.put(ALICE, List.of(order("o1", "new")));
        assertEquals(5L, kit.publish(ALICE, 5, "order", order("o5", "new")));
        assertEquals(List.of(snapshotStart(5, 1, true), snapshotOrder(5, order("o1", "new"))), c.untilPong(),
                "2..4 never came: the client is told, never shown a silent gap");
        kit.publish(ALICE, 6, "order", order("o6", "new"));
        assertEquals(6L, c.nextNonHeartbeat().getLong("seq"));
    }

    @Test
    void heartbeatsCarryTheHeadSeqAndTheTime() {
        kit(OrderStreamOptions.defaults().withHeartbeatIntervalMs(50));
        TestClient unsubscribed = kit.connect(ALICE);
        TestClient c = kit.connect(ALICE);
        c.subscribe();
        kit.publish(ALICE, 1, "order", order("o1", "new"));
        kit.publish(ALICE, 2, "fill", fill("f2", "o1"));
        while (true) {
            JsonObject f = c.next();
            if ("heartbeat".equals(f.getString("type")) && f.getJsonObject("seqs").getLong("orders") == 2) {
                assertEquals("2026-01-05T02:30:00.000Z", f.getString("time"));
                assertEquals(16, f.getString("epoch").length());
                assertFalse(f.containsKey("seq"));
                break;
            }
        }
        JsonObject idle = unsubscribed.next();
        assertEquals("heartbeat", idle.getString("type"));
        assertEquals(new JsonObject(), idle.getJsonObject("seqs"), "not subscribed: no seq to report");
    }

    @Test
    void unsubscribeStopsUpdates() {
        kit(OrderStreamOptions.defaults());
        TestClient c = kit.connect(ALICE);
        c.subscribed();
        c.untilPong();
        c.send(new JsonObject().put("op", "unsubscribe").put("channels", new JsonArray().add("orders")));
        assertEquals(new JsonArray().add("orders"), c.expectType("unsubscribed").getJsonArray("channels"));
        kit.publish(ALICE, 1, "order", order("o1", "new"));
        assertEquals(List.of(), c.untilPong());
        assertEquals(0, kit.streams.stats().subscriptions());
    }

    @Test
    void malformedFramesAreAnsweredWithErrorsAndTheConnectionStillWorks() {
        kit(OrderStreamOptions.defaults());
        TestClient c = kit.connect(ALICE);
        String[] bad = {"not json", "[1,2]", "{}", "{\"op\":5}", "{\"op\":\"dance\"}",
            "{\"op\":\"subscribe\"}", "{\"op\":\"subscribe\",\"channels\":\"orders\"}",
            "{\"op\":\"subscribe\",\"channels\":[1]}", "{\"op\":\"subscribe\",\"channels\":[]}",
            "{\"op\":\"subscribe\",\"channels\":[\"orders\"],\"resume\":{\"orders\":-1}}",
            "{\"op\":\"subscribe\",\"channels\":[\"orders\"],\"resume\":{\"orders\":1.5}}",
            "{\"op\":\"subscribe\",\"channels\":[\"orders\"],\"resume\":[5]}",
            "{\"op\":\"subscribe\",\"channels\":[\"orders\"],\"epoch\":7}",
            "{\"op\":\"unsubscribe\",\"channels\":null}",
            "{\"op\":\"subscribe\",\"channels\":[\"" + "x".repeat(5_000) + "\"]}"};
        for (String text : bad) {
            c.sendText(text);
            JsonObject error = c.expectType("error");
            assertEquals(-1001, error.getInteger("error_no"), text);
            assertEquals(OrderStreamTestKit.TRACE, error.getString("trace_id"));
            assertFalse(error.getString("error").isBlank());
        }
        c.sendFrame(WebSocketFrame.binaryFrame(Buffer.buffer("{\"op\":\"ping\"}"), true));
        assertTrue(c.expectType("error").getString("error").contains("binary"));
        c.send(new JsonObject().put("op", "auth").put("api_key", "k").put("api_secret", "s"));
        JsonObject auth = c.expectType("error");
        assertEquals(-1001, auth.getInteger("error_no"));
        assertTrue(auth.getString("error").startsWith("already authenticated"), auth.encode());

        c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add("trades:600000.SH")
                .add("orders")));
        JsonObject unknown = c.expectType("error");
        assertEquals(-1002, unknown.getInteger("error_no"));
        assertEquals(new JsonArray().add("trades:600000.SH"), unknown.getJsonArray("channels"));
        assertEquals(new JsonArray().add("orders"), c.expectType("subscribed").getJsonArray("channels"));
        assertEquals("snapshot", c.nextNonHeartbeat().getString("type"));

        String split = "{\"op\":\"ping\"}";
        c.sendFrame(WebSocketFrame.textFrame(split.substring(0, 5), false));
        c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(split.substring(5)), true));
        c.expectType("pong");
        kit.publish(ALICE, 1, "order", order("o1", "new"));
        assertEquals(1L, c.nextNonHeartbeat().getLong("seq"));
        assertFalse(c.closed.isDone());
    }

    @Test
    void framesOverTheBudgetAreAnsweredOnceThenIgnoredUntilTheNextSecond() {
        kit(OrderStreamOptions.defaults().withClientFrames(4 * 1024, 5, 10));
        TestClient c = kit.connect(ALICE);
        for (int i = 0; i < 8; i++) {
            c.send(new JsonObject().put("op", "ping"));
        }
        for (int i = 0; i < 5; i++) {
            c.expectType("pong");
        }
        JsonObject error = c.expectType("error");
        assertEquals(-1001, error.getInteger("error_no"));
        assertTrue(error.getString("error").startsWith("too many frames: at most 5 per second"), error.encode());
        kit.clock.addAndGet(1_000);
        assertEquals(List.of(), c.untilPong(), "the next second is handled again, the ignored frames left no answer");
    }

    @Test
    void aConnectionThatKeepsFloodingIsClosed() {
        kit(OrderStreamOptions.defaults().withClientFrames(4 * 1024, 5, 10));
        TestClient c = kit.connect(ALICE);
        TestClient bystander = kit.connect(ALICE);
        for (int i = 0; i < 50; i++) {
            c.send(new JsonObject().put("op", "ping"));
        }
        assertEquals((short) 1008, OrderStreamTestKit.get(c.closed));
        JsonObject reason = new JsonObject(c.closeReason); // the error model, as every error the stream sends
        assertEquals(-1001, reason.getInteger("error_no"));
        assertTrue(reason.getString("error").startsWith("too many frames: "), reason.encode());
        assertTrue(reason.getString("trace_id").matches("[0-9a-f]{32}"), reason.encode());
        kit.awaitCondition("the flooder to be counted", () -> kit.streams.stats().floodersClosed() == 1);
        assertEquals(List.of(), bystander.untilPong());
        assertEquals(1, kit.streams.stats().connections());
    }

    @Test
    void publishIsRefusedOffTheOwnerContextAndWithABadTypeOrSeq() {
        kit(OrderStreamOptions.defaults());
        assertThrows(IllegalStateException.class, () -> kit.streams.publish(ALICE, 1, "order", order("1", "new")));
        assertRefused(() -> kit.streams.publish(ALICE, 1, "trade", order("1", "new")), "type must be order or fill");
        assertRefused(() -> kit.streams.publish(ALICE, 0, "order", order("1", "new")), "seq must be positive");
        assertEquals(0, kit.streams.stats().accounts(), "nothing was kept");
    }

    private void assertRefused(java.util.function.Supplier<Long> onOwner, String message) {
        AssertionError e = assertThrows(AssertionError.class, () -> kit.onOwner(onOwner));
        Throwable cause = e.getCause().getCause();
        assertTrue(cause instanceof IllegalArgumentException && cause.getMessage().startsWith(message), "" + cause);
    }

    @Test
    void anIdleAccountsLogIsForgottenAtAHeartbeatAndItsHeadComesBackFromTheLedger() {
        kit(OrderStreamOptions.defaults().withHeartbeatIntervalMs(20).withRetention(new RetentionOptions(10, 1_000)));
        kit.publish(BOB, 1, "order", order("o1", "new"));
        kit.publish(BOB, 2, "order", order("o2", "new"));
        assertEquals(1, kit.streams.stats().accounts());
        kit.clock.addAndGet(1_001);
        kit.awaitCondition("the idle log to be forgotten", () -> kit.streams.stats().accounts() == 0);
        kit.ledgerHeads.put(BOB, 2L);
        TestClient c = kit.connect(BOB);
        c.subscribe(2, null);
        assertEquals(2L, c.expectType("subscribed").getJsonObject("seqs").getLong("orders"));
        assertEquals(List.of(), c.untilPong(), "resume at the ledger's head: nothing missed");
    }

    @Test
    void statsCountConnectionsSubscriptionsAndMessages() {
        kit(OrderStreamOptions.defaults());
        TestClient one = kit.connect(ALICE);
        TestClient two = kit.connect(BOB);
        one.subscribed();
        two.subscribed();
        one.untilPong();
        two.untilPong();
        kit.publish(ALICE, 1, "order", order("o1", "new"));
        frames(one, 1);
        StreamStats stats = kit.streams.stats();
        assertEquals(2, stats.connections());
        assertEquals(2, stats.subscriptions());
        assertEquals(2, stats.accounts());
        assertEquals(3, stats.messagesSent(), "two snapshot frames and one update");
        two.close();
        kit.awaitCondition("the closed connection to be gone", () -> kit.streams.stats().connections() == 1
                && kit.streams.stats().subscriptions() == 1);
        OrderStreamTestKit.await(kit.streams.close());
        assertEquals((short) 1001, OrderStreamTestKit.get(one.closed));
    }
}
