package org.opentrade.exchange.adapter.disruptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.exchange.port.EventPublisher;

class ShardedExchangeTest {
    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    /** Four A-shares (also the fixture of {@code ShardReplicationTest}). */
    static final InstrumentCatalog CATALOG = new InstrumentCatalog(List.of(
            Instrument.aShare("600000.SH", "PF Bank", 1000),
            Instrument.aShare("000001.SZ", "Ping An Bank", 1200),
            Instrument.aShare("300750.SZ", "CATL", 20000),
            Instrument.aShare("688981.SH", "SMIC", 9000)));
    static final ContinuousCalendar CALENDAR = new ContinuousCalendar(ZoneOffset.UTC, LocalTime.of(12, 0));

    @TempDir
    Path dir;

    private ShardedExchangeOptions options() {
        return ShardedExchangeOptions.defaults(CATALOG, CALENDAR).withJournal(dir, FsyncPolicy.BATCH).withShards(2);
    }

    private static CommandResult await(java.util.concurrent.CompletionStage<CommandResult> f) {
        return f.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void restingOrdersSurviveARestartAndCanBeCanceledAfterwards() {
        String hashBefore;
        try (ShardedExchange ex = ShardedExchange.start(options(), EventPublisher.NONE)) {
            assertTrue(ex.isReady());
            CommandResult r = await(ex.submit(Command.limit(1, "alice", "600000.SH", Side.BUY, TimeInForce.GTC,
                    1000, 300, T0)));
            assertEquals(ResultCode.OK, r.code());
            assertTrue(r.journalSeq() > 0);
            await(ex.submit(Command.limit(2, "bob", "300750.SZ", Side.SELL, TimeInForce.GTC, 20100, 50, T0)));
            CommandResult trade = await(ex.submit(Command.limit(3, "carol", "600000.SH", Side.SELL, TimeInForce.GTC,
                    1000, 100, T0 + 1)));
            assertEquals(List.of(EventType.ACCEPTED, EventType.TRADE), types(trade));
            ex.close();
            hashBefore = String.join(",", ex.stateHashes());
        }
        try (ShardedExchange ex = ShardedExchange.start(options(), EventPublisher.NONE)) {
            CommandResult cancel = await(ex.submit(Command.cancel(1, "600000.SH", T0 + 2)));
            assertEquals(List.of(EventType.CANCELED), types(cancel));
            assertEquals(200, cancel.events().get(0).qty(), "the partially filled order kept its remaining 200");
            ex.close();
            assertNotEquals(hashBefore, String.join(",", ex.stateHashes()));
        }
    }

    @Test
    void eventsArePublishedInOrderWithGapFreeSequencesPerShard() {
        List<ExchangeEvent> published = Collections.synchronizedList(new ArrayList<>());
        try (ShardedExchange ex = ShardedExchange.start(options().withShards(1),
                (shard, batch) -> published.addAll(batch))) {
            List<CompletableFuture<CommandResult>> all = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                Side side = i % 2 == 0 ? Side.BUY : Side.SELL;
                all.add(ex.submit(Command.limit(i, "u" + (i % 7), "600000.SH", side, TimeInForce.GTC,
                        1000 + (i % 5) - 2, 100, T0 + i)).toCompletableFuture());
            }
            all.forEach(f -> f.orTimeout(10, TimeUnit.SECONDS).join());
        }
        for (int i = 0; i < published.size(); i++) {
            assertEquals(i + 1, published.get(i).seq());
        }
        assertTrue(published.stream().anyMatch(e -> e.type() == EventType.TRADE));
    }

    @Test
    void timeTickReachesEveryShardAndExpiresDayOrders() {
        try (ShardedExchange ex = ShardedExchange.start(options(), EventPublisher.NONE)) {
            String[] symbols = {"600000.SH", "000001.SZ", "300750.SZ", "688981.SH"};
            long[] prices = {1000, 1200, 20000, 9000};
            for (int i = 0; i < symbols.length; i++) {
                await(ex.submit(Command.limit(10 + i, "alice", symbols[i], Side.BUY, TimeInForce.DAY, prices[i], 100,
                        T0)));
            }
            CommandResult tick = await(ex.submit(Command.tick(T0 + 13 * 3_600_000L)));
            assertEquals(4, tick.events().stream().filter(e -> e.type() == EventType.EXPIRED).count());
        }
    }

    @Test
    void aFullRingRefusesWithOverloadInsteadOfBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        EventPublisher slow = (shard, events) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (ShardedExchange ex = ShardedExchange.start(options().withShards(1).withRingSize(4), slow)) {
            List<CompletableFuture<CommandResult>> all = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                all.add(ex.submit(Command.limit(i, "alice", "600000.SH", Side.BUY, TimeInForce.GTC, 1000, 100, T0))
                        .toCompletableFuture());
            }
            release.countDown();
            long overloaded = all.stream().map(f -> f.orTimeout(10, TimeUnit.SECONDS).join())
                    .filter(r -> r.code() == ResultCode.ENGINE_OVERLOADED).count();
            assertTrue(overloaded > 0, "some of 20 commands must be refused by a ring of 4");
            assertTrue(overloaded < 20);
        }
    }

    @Test
    void commandsWithoutRoutingInformationAreRefusedNotLost() {
        try (ShardedExchange ex = ShardedExchange.start(options(), EventPublisher.NONE)) {
            assertEquals(ResultCode.MALFORMED_COMMAND, await(ex.submit(null)).code());
            assertEquals(ResultCode.MALFORMED_COMMAND, await(ex.submit(Command.cancel(1, null, T0))).code());
            String huge = "x".repeat(40_000);
            assertEquals(ResultCode.MALFORMED_COMMAND, await(ex.submit(Command.limit(1, huge, "600000.SH", Side.BUY,
                    TimeInForce.GTC, 1000, 100, T0))).code());
            assertEquals(ResultCode.MALFORMED_COMMAND, await(ex.submit(Command.limit(1, "a", "600000.SH", Side.BUY,
                    TimeInForce.GTC, 1000, 100, T0).withTraceParent(huge))).code());
            assertEquals(ResultCode.UNKNOWN_SYMBOL, await(ex.submit(Command.limit(1, "a", "NOPE.XX", Side.BUY,
                    TimeInForce.GTC, 1000, 100, T0))).code());
        }
    }

    @Test
    void aClosedExchangeAnswersUnavailable() {
        ShardedExchange ex = ShardedExchange.start(options(), EventPublisher.NONE);
        ex.close();
        assertEquals(ResultCode.ENGINE_UNAVAILABLE, await(ex.submit(Command.limit(1, "a", "600000.SH", Side.BUY,
                TimeInForce.GTC, 1000, 100, T0))).code());
    }

    private static List<EventType> types(CommandResult r) {
        return r.events().stream().map(ExchangeEvent::type).toList();
    }
}
