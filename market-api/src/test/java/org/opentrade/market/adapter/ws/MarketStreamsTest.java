package org.opentrade.market.adapter.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.market.adapter.ws.StreamTestKit.A;
import static org.opentrade.market.adapter.ws.StreamTestKit.B;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.market.adapter.ws.StreamTestKit.TestClient;
import org.opentrade.market.domain.stream.ChannelSource;
import org.opentrade.market.domain.stream.RetentionOptions;

class MarketStreamsTest {
    private static final String TRADES_A = "trades:" + A;
    private static final String QUOTES_A = "quotes:" + A;
    private static final String DEPTH_A = "depth:" + A;
    private static final String TRADES_B = "trades:" + B;

    private StreamTestKit kit;

    private StreamTestKit kit(StreamOptions options) {
        kit = new StreamTestKit(options);
        return kit;
    }

    @AfterEach
    void tearDown() {
        if (kit != null) {
            kit.close();
        }
    }

    private static JsonObject trade(int n) {
        return new JsonObject().put("trade_id", "0-" + n).put("price", "10.0" + (n % 10)).put("qty", 100 * n);
    }

    @Test
    void subscribeAnswersTheHeadSeqThenTheSnapshotAtThatSeq() {
        kit(StreamOptions.defaults());
        for (int i = 1; i <= 3; i++) {
            kit.publish(QUOTES_A, new JsonObject().put("last", "10.0" + i));
        }
        JsonObject quote = new JsonObject().put("symbol", A).put("last", "10.03");
        kit.snapshots.put(QUOTES_A, quote);
        TestClient c = kit.connect();
        c.subscribe(QUOTES_A);

        JsonObject subscribed = c.expectType("subscribed");
        assertEquals(new JsonArray().add(QUOTES_A), subscribed.getJsonArray("channels"));
        assertEquals(3L, subscribed.getJsonObject("seqs").getLong(QUOTES_A));
        assertFalse(subscribed.containsKey("seq"), "control frames carry no seq");
        JsonObject snapshot = c.nextNonHeartbeat();
        assertEquals(new JsonObject().put("channel", QUOTES_A).put("seq", 3).put("snapshot", true).put("data", quote),
                snapshot);
    }

    @Test
    void aChannelWithoutStateGetsNoSnapshotAndARepeatedSubscribeResendsNothing() {
        kit(StreamOptions.defaults());
        kit.snapshots.put(QUOTES_A, new JsonObject().put("last", "1.00"));
        TestClient c = kit.connect();
        c.subscribe(TRADES_A);
        c.expectType("subscribed");
        assertEquals(List.of(), c.untilPong(), "trades have no snapshot");
        c.subscribe(QUOTES_A);
        c.expectType("subscribed");
        assertTrue(c.nextNonHeartbeat().getBoolean("snapshot"));

        c.subscribe(QUOTES_A, TRADES_A);
        assertEquals(new JsonArray().add(QUOTES_A).add(TRADES_A), c.expectType("subscribed").getJsonArray("channels"));
        assertEquals(List.of(), c.untilPong(), "already subscribed: nothing is sent again");
        assertEquals(2, kit.streams.stats().subscriptions());
    }

    @Test
    void seqIsGapFreePerChannelAndTheSameOnEveryConnection() {
        kit(StreamOptions.defaults());
        TestClient one = kit.connect();
        TestClient two = kit.connect();
        for (TestClient c : List.of(one, two)) {
            c.subscribe(TRADES_A, TRADES_B);
            c.expectType("subscribed");
        }
        List<JsonObject> published = new ArrayList<>();
        Map<String, Long> expectedSeq = new HashMap<>();
        for (int i = 1; i <= 60; i++) {
            String channel = i % 3 == 0 ? TRADES_B : TRADES_A;
            long seq = kit.publish(channel, trade(i));
            assertEquals(expectedSeq.merge(channel, 1L, Long::sum), seq);
            published.add(new JsonObject().put("channel", channel).put("seq", seq).put("data", trade(i)));
        }
        List<JsonObject> gotOne = dataFrames(one, published.size());
        List<JsonObject> gotTwo = dataFrames(two, published.size());
        assertEquals(published, gotOne);
        assertEquals(published, gotTwo);

        TestClient late = kit.connect();
        late.subscribe(TRADES_A);
        assertEquals(40L, late.expectType("subscribed").getJsonObject("seqs").getLong(TRADES_A));
        kit.publish(TRADES_A, trade(61));
        assertEquals(41L, late.nextNonHeartbeat().getLong("seq"), "the seq is the channel's, not the connection's");
    }

    private static List<JsonObject> dataFrames(TestClient c, int n) {
        List<JsonObject> out = new ArrayList<>();
        while (out.size() < n) {
            out.add(c.nextNonHeartbeat());
        }
        return out;
    }

    @Test
    void unsubscribeStopsTheChannel() {
        kit(StreamOptions.defaults());
        TestClient c = kit.connect();
        c.subscribe(TRADES_A, TRADES_B);
        c.expectType("subscribed");
        c.unsubscribe(TRADES_A, "trades:NOPE");
        assertEquals(new JsonArray().add(TRADES_A).add("trades:NOPE"), c.expectType("unsubscribed").getJsonArray("channels"));
        kit.publish(TRADES_A, trade(1));
        kit.publish(TRADES_B, trade(2));
        List<JsonObject> frames = c.untilPong();
        assertEquals(1, frames.size());
        assertEquals(TRADES_B, frames.get(0).getString("channel"));
        assertEquals(1, kit.streams.stats().subscriptions());
    }

    @Test
    void resumeInWindowSendsExactlyTheMissedMessages() {
        kit(StreamOptions.defaults());
        TestClient first = kit.connect();
        first.subscribe(TRADES_A);
        String epoch = first.expectType("subscribed").getString("epoch");
        assertTrue(epoch.matches("[0-9a-f]{16}"), epoch);
        for (int i = 1; i <= 5; i++) {
            kit.publish(TRADES_A, trade(i));
        }
        assertEquals(5L, dataFrames(first, 5).get(4).getLong("seq"));
        first.close();
        List<JsonObject> missed = new ArrayList<>();
        for (int i = 6; i <= 10; i++) {
            long seq = kit.publish(TRADES_A, trade(i));
            missed.add(new JsonObject().put("channel", TRADES_A).put("seq", seq).put("data", trade(i)));
        }

        TestClient second = kit.connect();
        second.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(TRADES_A))
                .put("resume", new JsonObject().put(TRADES_A, 5)).put("epoch", epoch));
        assertEquals(10L, second.expectType("subscribed").getJsonObject("seqs").getLong(TRADES_A));
        assertEquals(missed, second.untilPong(), "6..10 once each, nothing else");
        kit.publish(TRADES_A, trade(11));
        assertEquals(11L, second.nextNonHeartbeat().getLong("seq"));
    }

    @Test
    void resumeWithTheEpochOfAnotherProcessGetsAFlaggedSnapshotEvenInWindow() {
        kit(StreamOptions.defaults());
        for (int i = 1; i <= 5; i++) {
            kit.publish(TRADES_A, trade(i));
        }
        TestClient c = kit.connect();
        c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(TRADES_A))
                .put("resume", new JsonObject().put(TRADES_A, 3)).put("epoch", "0123456789abcdef"));
        c.expectType("subscribed");
        assertEquals(List.of(new JsonObject().put("channel", TRADES_A).put("seq", 5).put("snapshot", true)
                .put("resumed", false).putNull("data")), c.untilPong(), "seq 3 of another process means nothing here");
        kit.publish(TRADES_A, trade(6));
        assertEquals(6L, c.nextNonHeartbeat().getLong("seq"));
    }

    @Test
    void aChannelTheSourceNumbersResumesWhateverTheEpochAndWaitsForAResumeAheadOfItsHead() {
        kit(StreamOptions.defaults().withResumeAheadWaitMs(2_000));
        long now = kit.clock.get();
        kit.origins.put(TRADES_A, new ChannelSource.Origin<>(10, List.of(trade(9), trade(10)), new long[] {now, now}));
        TestClient c = kit.connect();
        c.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(TRADES_A))
                .put("resume", new JsonObject().put(TRADES_A, 8)).put("epoch", "0123456789abcdef"));
        assertEquals(10L, c.expectType("subscribed").getJsonObject("seqs").getLong(TRADES_A));
        assertEquals(List.of(new JsonObject().put("channel", TRADES_A).put("seq", 9).put("data", trade(9)),
                new JsonObject().put("channel", TRADES_A).put("seq", 10).put("data", trade(10))), c.untilPong(),
                "the source's seqs mean the same in every process: 9 and 10, not a snapshot");
        assertEquals(11L, kit.publishNumbered(TRADES_A, 11, trade(11)));
        assertEquals(11L, c.nextNonHeartbeat().getLong("seq"));
        assertEquals(-1L, kit.publishNumbered(TRADES_A, 11, trade(11)), "a number the log has passed");
        assertEquals(-1L, kit.publishNumbered(TRADES_A, 0, trade(0)), "no number: from before the origin");

        TestClient ahead = kit.connect();
        ahead.subscribe(Map.of(TRADES_A, 13), TRADES_A);
        assertEquals(11L, ahead.expectType("subscribed").getJsonObject("seqs").getLong(TRADES_A));
        assertEquals(List.of(), ahead.untilPong(), "it has more than this process: nothing to send yet");
        kit.publishNumbered(TRADES_A, 12, trade(12));
        assertEquals(12L, c.nextNonHeartbeat().getLong("seq"));
        assertEquals(new JsonObject().put("channel", TRADES_A).put("seq", 12).put("snapshot", true)
                .put("resumed", false).putNull("data"), ahead.nextNonHeartbeat(),
                "13 never came within the wait: the flagged snapshot at the head");
        kit.publishNumbered(TRADES_A, 13, trade(13));
        assertEquals(13L, ahead.nextNonHeartbeat().getLong("seq"));
        assertEquals(13L, c.nextNonHeartbeat().getLong("seq"));

        assertEquals(16L, kit.publishNumbered(TRADES_A, 16, trade(16)), "14 and 15 never reached this process");
        assertEquals(new JsonObject().put("channel", TRADES_A).put("seq", 16).put("snapshot", true)
                .put("resumed", false).putNull("data"), c.nextNonHeartbeat(), "a skip is a flagged gap, not a hole");
    }

    @Test
    void aStableChannelNumberedAgainFromBelowFlagsItsSubscribersAndNeverAnswersAnOldSeqWithANewMessage() {
        kit(StreamOptions.defaults().withResumeAheadWaitMs(60_000)); // a wait would outlast the test
        kit.origins.put(TRADES_A, new ChannelSource.Origin<>(10, List.of(), new long[0]));
        TestClient c = kit.connect();
        c.subscribe(Map.of(), TRADES_A);
        c.expectType("subscribed");
        kit.publishNumbered(TRADES_A, 11, trade(11));
        kit.publishNumbered(TRADES_A, 12, trade(12));
        assertEquals(11L, c.nextNonHeartbeat().getLong("seq"));
        assertEquals(12L, c.nextNonHeartbeat().getLong("seq"));

        kit.onOwner(() -> {
            kit.streams.renumber(TRADES_A, 2); // the exchange's data was reset: its count of all time is 2
            return null;
        });
        assertEquals(new JsonObject().put("channel", TRADES_A).put("seq", 2).put("snapshot", true)
                .put("resumed", false).putNull("data"), c.nextNonHeartbeat(), "its seq 12 names another trade now");
        assertEquals(3L, kit.publishNumbered(TRADES_A, 3, trade(3)), "published, not dropped as a number passed");
        assertEquals(new JsonObject().put("channel", TRADES_A).put("seq", 3).put("data", trade(3)), c.nextNonHeartbeat());
        assertEquals(-1L, kit.publishNumbered(TRADES_A, 3, trade(3)), "a repeat is still dropped");

        TestClient old = kit.connect();
        old.subscribe(Map.of(TRADES_A, 11), TRADES_A);
        assertEquals(3L, old.expectType("subscribed").getJsonObject("seqs").getLong(TRADES_A));
        assertEquals(new JsonObject().put("channel", TRADES_A).put("seq", 3).put("snapshot", true)
                .put("resumed", false).putNull("data"), old.nextNonHeartbeat(),
                "11 is of the old numbering (it reached 12): answered at once, never replayed from the new one");
    }

    @Test
    void aResumeAheadOfAStableChannelThatTheFeedReachesGetsTheMessagesAfterIt() {
        kit(StreamOptions.defaults());
        kit.origins.put(TRADES_A, new ChannelSource.Origin<>(10, List.of(), new long[0]));
        TestClient c = kit.connect();
        c.subscribe(Map.of(TRADES_A, 12), TRADES_A);
        c.expectType("subscribed");
        kit.publishNumbered(TRADES_A, 11, trade(11));
        kit.publishNumbered(TRADES_A, 12, trade(12));
        kit.publishNumbered(TRADES_A, 13, trade(13));
        assertEquals(new JsonObject().put("channel", TRADES_A).put("seq", 13).put("data", trade(13)),
                c.nextNonHeartbeat(), "11 and 12 it had; 13 follows");
    }

    @Test
    void resumeOutOfWindowSendsASnapshotFlaggedNotResumed() {
        kit(StreamOptions.defaults().withRetention(new RetentionOptions(5, 60_000)));
        JsonObject quote = new JsonObject().put("last", "10.20");
        kit.snapshots.put(QUOTES_A, quote);
        for (int i = 1; i <= 20; i++) {
            kit.publish(QUOTES_A, new JsonObject().put("last", "10." + i));
            kit.publish(TRADES_A, trade(i));
        }
        TestClient c = kit.connect();
        c.subscribe(Map.of(QUOTES_A, 3, TRADES_A, 99), QUOTES_A, TRADES_A);
        c.expectType("subscribed");
        List<JsonObject> frames = c.untilPong();
        assertEquals(List.of(
                new JsonObject().put("channel", QUOTES_A).put("seq", 20).put("snapshot", true).put("resumed", false)
                        .put("data", quote),
                new JsonObject().put("channel", TRADES_A).put("seq", 20).put("snapshot", true).put("resumed", false)
                        .putNull("data")), frames, "3 is older than the 5 retained; 99 is newer than the head");
    }

    /** A gap sends what the source says was missed before the flagged snapshot; a fresh subscription or a replay does not. */
    @Test
    void aResumeThatCannotBeReplayedGetsWhatWasMissedBeforeTheFlaggedSnapshot() {
        kit(StreamOptions.defaults());
        String klines = "klines:1m:" + A;
        JsonObject closedBar = new JsonObject().put("time", "2026-01-05T02:29:00.000Z").put("closed", true);
        JsonObject liveBar = new JsonObject().put("time", "2026-01-05T02:30:00.000Z").put("closed", false);
        kit.snapshots.put(klines, liveBar);
        kit.missed.put(klines, List.of(closedBar));
        kit.publish(klines, closedBar);
        kit.publish(klines, liveBar);

        TestClient foreign = kit.connect();
        foreign.send(new JsonObject().put("op", "subscribe").put("channels", new JsonArray().add(klines))
                .put("resume", new JsonObject().put(klines, 1)).put("epoch", "0123456789abcdef"));
        foreign.expectType("subscribed");
        assertEquals(List.of(
                new JsonObject().put("channel", klines).put("seq", 2).put("snapshot", true).put("resumed", false)
                        .put("data", closedBar),
                new JsonObject().put("channel", klines).put("seq", 2).put("snapshot", true).put("resumed", false)
                        .put("data", liveBar)), foreign.untilPong(), "the close it may have missed, then the state");

        TestClient fresh = kit.connect();
        fresh.subscribe(klines);
        fresh.expectType("subscribed");
        assertEquals(List.of(new JsonObject().put("channel", klines).put("seq", 2).put("snapshot", true)
                .put("data", liveBar)), fresh.untilPong(), "nothing was missed: the state only");

        TestClient same = kit.connect();
        same.subscribe(Map.of(klines, 1), klines);
        same.expectType("subscribed");
        assertEquals(List.of(new JsonObject().put("channel", klines).put("seq", 2).put("data", liveBar)),
                same.untilPong(), "a replay is the missed frames themselves");
    }

    @Test
    void heartbeatsCarryTheHeadSeqOfEachChannelAndTheTime() {
        kit(StreamOptions.defaults().withHeartbeatIntervalMs(50));
        TestClient c = kit.connect();
        c.subscribe(TRADES_A, TRADES_B);
        c.expectType("subscribed");
        kit.publish(TRADES_A, trade(1));
        kit.publish(TRADES_A, trade(2));
        kit.publish(TRADES_B, trade(3));
        // A heartbeat may go out between two publishes; one sent after the connection carried the last
        // message must name every channel's head (frames leave a connection in order).
        boolean sawLast = false;
        while (true) {
            JsonObject f = c.next();
            if (TRADES_B.equals(f.getString("channel")) && f.getLong("seq", 0L) == 1) {
                sawLast = true;
            } else if (sawLast && "heartbeat".equals(f.getString("type"))) {
                assertEquals(new JsonObject().put(TRADES_A, 2).put(TRADES_B, 1), f.getJsonObject("seqs"));
                assertEquals("2026-01-05T02:30:00.000Z", f.getString("time"));
                assertFalse(f.containsKey("seq"));
                return;
            }
        }
    }

    @Test
    void theSubscriptionLimitOfAKeySpansItsConnections() {
        kit(StreamOptions.defaults());
        TestClient one = kit.connect("key-9", 3);
        TestClient two = kit.connect("key-9", 3);
        TestClient other = kit.connect("key-8", 3);
        one.subscribe(TRADES_A, QUOTES_A);
        one.expectType("subscribed");
        two.subscribe(DEPTH_A, TRADES_B);
        JsonObject error = two.expectType("error");
        assertEquals(-6012, error.getInteger("error_no"));
        assertTrue(error.getString("error").contains("at most 3 per API key"), error.encode());
        assertEquals(new JsonArray().add(TRADES_B), error.getJsonArray("channels"));
        assertEquals(new JsonArray().add(DEPTH_A), two.expectType("subscribed").getJsonArray("channels"));
        other.subscribe(TRADES_A, QUOTES_A, DEPTH_A);
        assertEquals(3, other.expectType("subscribed").getJsonArray("channels").size(), "another key has its own count");

        one.close();
        kit.awaitCondition("the closed connection's subscriptions to be released",
                () -> kit.streams.stats().subscriptions() == 4);
        two.subscribe(TRADES_B);
        assertEquals(new JsonArray().add(TRADES_B), two.expectType("subscribed").getJsonArray("channels"));
    }

    @Test
    void subscribingAndUnsubscribingInALoopMeetsTheKeysBudgetOfNewSubscriptions() {
        kit(StreamOptions.defaults());
        TestClient c = kit.connect("key-churn", 3);
        int subscribed = 0;
        int refused = 0;
        for (int i = 0; i < 10; i++) { // 30 snapshots asked for at one instant
            c.subscribe(TRADES_A, QUOTES_A, DEPTH_A);
            while (true) {
                JsonObject f = c.next();
                if ("subscribed".equals(f.getString("type"))) {
                    subscribed += f.getJsonArray("channels").size();
                    break;
                }
                if ("error".equals(f.getString("type"))) {
                    assertEquals(-6012, f.getInteger("error_no"), f.encode());
                    assertTrue(f.getString("error").contains("too many new subscriptions"), f.encode());
                    refused += f.getJsonArray("channels").size();
                    if (f.getJsonArray("channels").size() == 3) {
                        break; // nothing subscribed: no subscribed frame follows
                    }
                }
            }
            c.unsubscribe(TRADES_A, QUOTES_A, DEPTH_A);
            c.expectType("unsubscribed");
        }
        assertEquals(6, subscribed, "twice the plan's 3 at once");
        assertEquals(24, refused);
        // Another key has its own budget; this one refills at 3 per 10 s.
        TestClient other = kit.connect("key-other", 3);
        other.subscribe(TRADES_A, QUOTES_A, DEPTH_A);
        assertEquals(3, other.expectType("subscribed").getJsonArray("channels").size());
        kit.clock.addAndGet(MarketStreams.SUBSCRIBE_REFILL_MS);
        c.subscribe(TRADES_A, QUOTES_A, DEPTH_A);
        assertEquals(3, c.expectType("subscribed").getJsonArray("channels").size(), "refilled after 10 s");
    }

    /**
     * A channel's log, once opened, is kept for the life of the process and every message of the channel is built
     * and kept in it: a subscription that is refused must not open it. It did, so a key whose plan has no streams,
     * or one over its limit or budget, made every channel of the universe cost that.
     */
    @Test
    void aRefusedSubscriptionOpensNoChannel() {
        kit(StreamOptions.defaults().withMaxSubscriptionsPerConnection(3));
        TestClient none = kit.connect("key-no-streams", 0);
        none.subscribe(TRADES_A, QUOTES_A, DEPTH_A);
        assertEquals(-6012, none.expectType("error").getInteger("error_no"));
        TestClient one = kit.connect("key-one", 1);
        one.subscribe(TRADES_B, TRADES_A);
        assertEquals(new JsonArray().add(TRADES_A), one.expectType("error").getJsonArray("channels"));
        assertEquals(new JsonArray().add(TRADES_B), one.expectType("subscribed").getJsonArray("channels"));
        TestClient full = kit.connect();
        full.subscribe(TRADES_B, "quotes:" + B, "depth:" + B);
        full.expectType("subscribed");
        full.subscribe(QUOTES_A);
        assertEquals(-6012, full.expectType("error").getInteger("error_no"), "over the connection's limit");

        for (String channel : List.of(TRADES_A, QUOTES_A, DEPTH_A)) {
            assertFalse(kit.onOwner(() -> kit.streams.active(channel)), channel + " was never subscribed");
        }
        assertEquals(3, kit.streams.stats().channels(), "the channels of B only");
    }

    @Test
    void theSubscriptionLimitOfAConnectionComesFromTheOptions() {
        kit(StreamOptions.defaults().withMaxSubscriptionsPerConnection(2));
        TestClient c = kit.connect();
        c.subscribe(TRADES_A, QUOTES_A);
        c.expectType("subscribed");
        c.subscribe(DEPTH_A);
        JsonObject error = c.expectType("error");
        assertEquals(-6012, error.getInteger("error_no"));
        assertTrue(error.getString("error").contains("at most 2 per connection"), error.encode());
        c.subscribe(TRADES_A, QUOTES_A, DEPTH_A);
        assertEquals(-6010, c.expectType("error").getInteger("error_no"), "more channels than a connection may hold");
    }

    @Test
    void malformedFramesAreAnsweredWithErrorsAndTheConnectionStillWorks() {
        kit(StreamOptions.defaults());
        TestClient c = kit.connect();
        String[] bad = {"not json", "[1,2]", "{}", "{\"op\":5}", "{\"op\":\"dance\"}",
            "{\"op\":\"subscribe\"}", "{\"op\":\"subscribe\",\"channels\":\"trades:600000.SH\"}",
            "{\"op\":\"subscribe\",\"channels\":[1]}", "{\"op\":\"subscribe\",\"channels\":[]}",
            "{\"op\":\"subscribe\",\"channels\":[\"trades:600000.SH\"],\"resume\":{\"trades:600000.SH\":-1}}",
            "{\"op\":\"subscribe\",\"channels\":[\"trades:600000.SH\"],\"resume\":{\"trades:600000.SH\":1.5}}",
            "{\"op\":\"unsubscribe\",\"channels\":null}",
            "{\"op\":\"subscribe\",\"channels\":[\"" + "x".repeat(17_000) + "\"]}"};
        for (String text : bad) {
            c.sendText(text);
            JsonObject error = c.expectType("error");
            assertEquals(-6010, error.getInteger("error_no"), text);
            assertEquals(StreamTestKit.TRACE, error.getString("trace_id"));
        }
        c.sendFrame(WebSocketFrame.binaryFrame(Buffer.buffer("{\"op\":\"ping\"}"), true));
        assertTrue(c.expectType("error").getString("error").contains("binary"));
        c.send(new JsonObject().put("op", "auth").put("api_key", "k").put("api_secret", "s"));
        JsonObject auth = c.expectType("error");
        assertEquals(-6010, auth.getInteger("error_no"));
        assertTrue(auth.getString("error").startsWith("already authenticated"));

        c.subscribe("trades:999999.SH", "klines:2m:" + A, TRADES_A);
        JsonObject unknown = c.expectType("error");
        assertEquals(-6011, unknown.getInteger("error_no"));
        assertEquals(new JsonArray().add("trades:999999.SH").add("klines:2m:" + A), unknown.getJsonArray("channels"));
        assertEquals(new JsonArray().add(TRADES_A), c.expectType("subscribed").getJsonArray("channels"));

        String split = "{\"op\":\"subscribe\",\"channels\":[\"" + TRADES_B + "\"]}";
        c.sendFrame(WebSocketFrame.textFrame(split.substring(0, 10), false));
        c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(split.substring(10)), true));
        assertEquals(new JsonArray().add(TRADES_B), c.expectType("subscribed").getJsonArray("channels"),
                "a fragmented message is assembled");
        kit.publish(TRADES_A, trade(1));
        assertEquals(1L, c.nextNonHeartbeat().getLong("seq"));
        assertFalse(c.closed.isDone());
    }

    @Test
    void framesOverTheBudgetAreAnsweredOnceThenIgnoredUntilTheNextSecond() {
        kit(StreamOptions.defaults().withClientFrames(16 * 1024, 5, 10));
        TestClient c = kit.connect();
        for (int i = 0; i < 8; i++) {
            c.send(new JsonObject().put("op", "ping"));
        }
        for (int i = 0; i < 5; i++) {
            c.expectType("pong");
        }
        JsonObject error = c.expectType("error");
        assertEquals(-6010, error.getInteger("error_no"));
        assertTrue(error.getString("error").startsWith("too many frames: at most 5 per second"), error.encode());
        kit.clock.addAndGet(1_000);
        assertEquals(List.of(), c.untilPong(), "the next second is handled again, the ignored frames left no answer");
    }

    @Test
    void aConnectionThatKeepsFloodingIsClosed() {
        kit(StreamOptions.defaults().withClientFrames(16 * 1024, 5, 10));
        TestClient c = kit.connect();
        TestClient bystander = kit.connect();
        for (int i = 0; i < 50; i++) {
            c.send(new JsonObject().put("op", "ping"));
        }
        assertEquals((short) 1008, StreamTestKit.get(c.closed));
        JsonObject reason = new JsonObject(c.closeReason); // the error model, as every error the stream sends
        assertEquals(-6010, reason.getInteger("error_no"));
        assertTrue(reason.getString("error").startsWith("too many frames: "), reason.encode());
        assertTrue(reason.getString("trace_id").matches("[0-9a-f]{32}"), reason.encode());
        kit.awaitCondition("the flooder to be counted", () -> kit.streams.stats().floodersClosed() == 1);
        assertEquals(List.of(), bystander.untilPong());
        assertEquals(1, kit.streams.stats().connections());
    }

    @Test
    void publishOffTheOwnerContextIsRefused() {
        kit(StreamOptions.defaults());
        assertThrows(IllegalStateException.class, () -> kit.streams.publish(TRADES_A, trade(1)));
        assertEquals(-1L, kit.publish("trades:NOPE.SH", trade(1)), "a channel the source refuses keeps nothing");
        assertEquals(0, kit.streams.stats().channels());
    }

    @Test
    void statsCountConnectionsSubscriptionsAndMessages() {
        kit(StreamOptions.defaults());
        TestClient one = kit.connect();
        TestClient two = kit.connect();
        one.subscribe(TRADES_A);
        one.expectType("subscribed");
        two.subscribe(TRADES_A, TRADES_B);
        two.expectType("subscribed");
        kit.publish(TRADES_A, trade(1));
        dataFrames(one, 1);
        dataFrames(two, 1);
        StreamStats stats = kit.streams.stats();
        assertEquals(2, stats.connections());
        assertEquals(3, stats.subscriptions());
        assertEquals(2, stats.channels());
        assertEquals(2, stats.messagesSent());
        two.close();
        kit.awaitCondition("the closed connection to be gone", () -> kit.streams.stats().connections() == 1
                && kit.streams.stats().subscriptions() == 1);
        StreamTestKit.await(kit.streams.close());
        assertEquals((short) 1001, StreamTestKit.get(one.closed));
        JsonObject reason = new JsonObject(one.closeReason);
        assertEquals(-9001, reason.getInteger("error_no"), "a stop's close reason is the error model: " + reason);
        assertTrue(reason.getString("trace_id").matches("[0-9a-f]{32}"), reason.encode());
    }
}
