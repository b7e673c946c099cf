package org.opentrade.trade.domain.desk;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ResultCode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.domain.EventCollector;
import org.opentrade.exchange.domain.MatchingEngine;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.adapter.memory.InMemoryIntentStore;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.trade.domain.intent.AccountOpened;
import org.opentrade.trade.domain.intent.AccountReset;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.domain.intent.NewOrder;
import org.opentrade.trade.domain.ledger.Ledger;
import org.opentrade.trade.domain.ledger.LedgerOptions;
import org.opentrade.trade.domain.risk.RiskChecks;
import org.opentrade.trade.domain.risk.RiskOptions;
import org.opentrade.trade.port.ExchangePort;

/**
 * A replay over two shards whose feeds come in another interleaving than live (one shard caught up
 * first) must still put a reset after the fill it recorded as before it.
 */
class ReplayAcrossShardsTest {
    static final long T = 1_767_600_000_000L;
    static final String A = "600000.SH"; // shard 0
    static final String B = "000001.SZ"; // shard 1

    final MatchingEngine e0 = MatchingEngine.pure();
    final MatchingEngine e1 = MatchingEngine.pure();
    final EventCollector c0 = new EventCollector(0, 0);
    final EventCollector c1 = new EventCollector(1, 0);

    List<ExchangeEvent> run(MatchingEngine e, EventCollector c, Command cmd) {
        c.begin(cmd);
        e.process(cmd, c);
        return List.copyOf(c.events());
    }

    static TradeDesk desk() {
        ExchangePort none = new ExchangePort() {
            @Override
            public CompletionStage<CommandResult> submit(Command command) {
                return new CompletableFuture<>();
            }

            @Override
            public CompletionStage<FeedPosition> barrier(String symbol) {
                return new CompletableFuture<>();
            }
        };
        return new TradeDesk(new Ledger(LedgerOptions.DEFAULTS), new RiskChecks(RiskOptions.DEFAULTS),
                new InMemoryIntentStore(), none, Runnable::run, () -> T, Map.of(),
                new MarketTracker(LedgerOptions.CHINA_CALENDAR_DAY));
    }

    @Test
    void aResetRecordedAfterAFillOnShardOneStaysAfterItWhenShardZeroIsReplayedFirst() {
        List<Intent> intents = new ArrayList<>();
        List<ExchangeEvent> s0 = new ArrayList<>();
        List<ExchangeEvent> s1 = new ArrayList<>();
        intents.add(AccountOpened.of("a", 100_000_000L, T));
        s1.addAll(run(e1, c1, Command.limit(901, "mm", B, Side.SELL, TimeInForce.GTC, 1000, 100, T)));
        OrderRequest buy = new OrderRequest("b-1", B, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100, 1000, 0);
        intents.add(NewOrder.at("a", 1, buy, null, TradeDesk.requestHash(buy), T, 0, Map.of(1, s1.get(s1.size() - 1).seq())));
        s1.addAll(run(e1, c1, Command.newOrder(1, "a", B, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1000, 0, 100, T)));
        s0.addAll(run(e0, c0, Command.limit(902, "mm", A, Side.SELL, TimeInForce.GTC, 1000, 100, T)));
        s0.addAll(run(e0, c0, Command.limit(903, "mm", A, Side.SELL, TimeInForce.GTC, 1001, 100, T)));
        // Live: the reset comes after the buy filled (shard 1 at its last event) and shard 0 at seq 2.
        intents.add(AccountReset.at("a", 50_000_000L, T + 1, Map.of(0, s0.get(s0.size() - 1).seq(),
                1, s1.get(s1.size() - 1).seq())));
        s0.addAll(run(e0, c0, Command.limit(904, "mm", A, Side.SELL, TimeInForce.GTC, 1002, 100, T + 2)));

        // The live order of the feed: shard 1's events, shard 0's.
        TradeDesk live = desk();
        intents.forEach(live::replay);
        s1.forEach(live::onEvent);
        s0.forEach(live::onEvent);
        // The same inputs with shard 0 caught up first (as a restart may deliver them).
        TradeDesk skewed = desk();
        intents.forEach(skewed::replay);
        s0.forEach(skewed::onEvent);
        s1.forEach(skewed::onEvent);

        var l = live.ledger().account("a", s -> 0);
        var s = skewed.ledger().account("a", s2 -> 0);
        assertEquals(50_000_000L, l.cash(), "live: the reset after the fill leaves the new balance");
        assertEquals(l.cash(), s.cash(), "a replay in another shard interleaving must give the same account");
        assertEquals(live.stateHash(), skewed.stateHash());
    }

    /** Random histories over two shards, replayed in random interleavings of the shards' feeds: one state. */
    @Test
    void everyInterleavingOfTheShardsFeedsGivesTheLiveState() {
        java.util.Random random = new java.util.Random(20261206);
        for (int history = 0; history < 20; history++) {
            MatchingEngine[] engines = {MatchingEngine.pure(), MatchingEngine.pure()};
            EventCollector[] collectors = {new EventCollector(0, 0), new EventCollector(1, 0)};
            String[] symbols = {A, B};
            List<Intent> intents = new ArrayList<>();
            List<List<ExchangeEvent>> feeds = List.of(new ArrayList<>(), new ArrayList<>());
            long[] last = new long[2];
            intents.add(AccountOpened.of("a", 100_000_000L, T));
            long id = 1;
            for (int step = 0; step < 40; step++) {
                int shard = random.nextInt(2);
                int what = random.nextInt(10);
                Command command;
                if (what < 4) {
                    command = Command.limit(10_000 + id++, "mm", symbols[shard], Side.SELL, TimeInForce.GTC,
                            1000 + random.nextInt(3), 100, T + step);
                } else if (what < 9) {
                    long orderId = id++;
                    long price = 999 + random.nextInt(3);
                    OrderRequest buy = new OrderRequest("b-" + orderId, symbols[shard], Side.BUY, OrderType.LIMIT,
                            TimeInForce.GTC, 100, price, 0);
                    intents.add(NewOrder.at("a", orderId, buy, null, TradeDesk.requestHash(buy), T + step, 0,
                            Map.of(shard, last[shard])));
                    command = Command.newOrder(orderId, "a", symbols[shard], Side.BUY, OrderType.LIMIT,
                            TimeInForce.GTC, price, 0, 100, T + step);
                } else {
                    intents.add(AccountReset.at("a", 50_000_000L + step, T + step, Map.of(0, last[0], 1, last[1])));
                    continue;
                }
                List<ExchangeEvent> made = run(engines[shard], collectors[shard], command);
                feeds.get(shard).addAll(made);
                last[shard] = made.get(made.size() - 1).seq();
            }
            TradeDesk live = desk();
            intents.forEach(live::replay);
            feeds.get(0).forEach(live::onEvent); // an interleaving no intent depends on: checked against the others
            feeds.get(1).forEach(live::onEvent);
            live.resendPending(null);
            for (int order = 0; order < 5; order++) {
                TradeDesk other = desk();
                intents.forEach(other::replay);
                int[] next = new int[2];
                while (next[0] < feeds.get(0).size() || next[1] < feeds.get(1).size()) {
                    int shard = next[0] == feeds.get(0).size() ? 1 : next[1] == feeds.get(1).size() ? 0
                            : random.nextInt(2);
                    other.onEvent(feeds.get(shard).get(next[shard]++));
                }
                other.resendPending(null);
                // (not the whole state: fills and updates of two shards are numbered in the order they came)
                assertEquals(books(live), books(other), "history " + history + ", interleaving " + order);
            }
        }
    }

    private static String books(TradeDesk desk) {
        return desk.ledger().account("a", s -> 0) + " " + desk.ledger().positions("a", s -> 0, T) + " "
                + desk.ledger().openOrders("a", null).stream().map(o -> o.clientOrderId() + ":" + o.status() + ":"
                        + o.filledQty()).sorted().toList();
    }

    final MatchingEngine[] three = {MatchingEngine.pure(), MatchingEngine.pure(), MatchingEngine.pure()};
    final EventCollector[] threeCollectors = {new EventCollector(0, 0), new EventCollector(1, 0), new EventCollector(2, 0)};
    final String[] threeSymbols = {"600000.SH", "000001.SZ", "600001.SH"};
    long nextMakerId = 900;

    List<ExchangeEvent> runOn(int s) {
        Command cmd = Command.limit(nextMakerId++, "mm", threeSymbols[s], Side.SELL, TimeInForce.GTC, 1000, 100, T);
        threeCollectors[s].begin(cmd);
        three[s].process(cmd, threeCollectors[s]);
        return List.copyOf(threeCollectors[s].events());
    }

    static long last(List<ExchangeEvent> l) {
        return l.get(l.size() - 1).seq();
    }

    /** Found in review of the first fix: a held event was overtaken by a later one of its shard (feed gap). */
    @Test
    void aHeldEventOfAShardIsNotOvertakenByALaterOneOfTheSameShard() {
        List<Intent> intents = new ArrayList<>();
        intents.add(AccountOpened.of("a", 100_000_000L, T));
        List<ExchangeEvent> a1 = runOn(0), b1 = runOn(1), c1 = runOn(2);
        intents.add(AccountReset.at("a", 1L, T, Map.of(0, last(a1), 1, last(b1), 2, last(c1))));
        List<ExchangeEvent> c2 = runOn(2), c3 = runOn(2);
        intents.add(AccountReset.at("a", 2L, T, Map.of(0, last(a1), 1, last(b1), 2, last(c3))));
        List<ExchangeEvent> a2 = runOn(0);

        TradeDesk d = desk();
        intents.forEach(d::replay);
        // a restart delivers: shard 0 and 2 first, shard 1 late
        a1.forEach(d::onEvent);
        c1.forEach(d::onEvent);
        a2.forEach(d::onEvent); // held: past reset 1, shard 1 not there yet
        c2.forEach(d::onEvent); // held
        b1.forEach(d::onEvent); // reset 1 applied; a2 (head) still waits for reset 2
        assertDoesNotThrow(() -> c3.forEach(d::onEvent), "c3 overtook the held c2 (feed gap)");
    }

    static ExchangeEvent ev(int shard, long seq) {
        return new ExchangeEvent(seq, shard, EventType.TRADE, 1000 + seq, "taker", 500 + seq, "maker", "600000.SH",
                Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1000, 100, 0, 100, 0, ResultCode.OK, T, null);
    }

    /** Shard 1 never comes (its exchange down at start): shard 0's events past the reset are held, up to the bound. */
    @Test
    void pastTheBoundAShardsNextEventDoesNotOvertakeItsHeldOnes() {
        TradeDesk d = desk();
        d.replay(AccountOpened.of("a", 100_000_000L, T));
        d.replay(AccountReset.at("a", 1L, T, Map.of(0, 1L, 1, 1L)));
        for (long seq = 1; seq <= TradeDesk.MAX_HELD_EVENTS + 1; seq++) {
            d.onEvent(ev(0, seq));
        }
        assertDoesNotThrow(() -> d.onEvent(ev(0, TradeDesk.MAX_HELD_EVENTS + 2L)),
                "the event past the bound overtook the 200 000 held events of its own shard (feed gap)");
    }
}
