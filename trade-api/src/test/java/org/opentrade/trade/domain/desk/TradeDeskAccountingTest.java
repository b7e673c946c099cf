package org.opentrade.trade.domain.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayDeque;
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
import org.opentrade.exchange.model.InstrumentInfo;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.adapter.memory.InMemoryIntentStore;
import org.opentrade.trade.domain.Order;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.trade.domain.OrderStatus;
import org.opentrade.trade.domain.intent.AccountOpened;
import org.opentrade.trade.domain.ledger.AccountView;
import org.opentrade.trade.domain.ledger.Ledger;
import org.opentrade.trade.domain.ledger.LedgerOptions;
import org.opentrade.trade.domain.risk.RiskChecks;
import org.opentrade.trade.domain.risk.RiskOptions;

/**
 * The desk's order path (risk, intent, exchange, feed) against the real matching engine, reconciled as a quant
 * would: every expected figure is computed here with BigDecimal from the documented A-share schedule (commission
 * 0.025 % with 5.00 minimum per order, transfer 0.001 %, each half up to the cent), never by the production fee code.
 */
class TradeDeskAccountingTest {
    static final String SYM = "600000.SH";
    /** Monday 2026-01-05 10:00 and Tuesday 10:00 in Shanghai. */
    static final long MON = Instant.parse("2026-01-05T02:00:00Z").toEpochMilli();
    static final long TUE = MON + 24 * 3_600_000L;

    /**
     * The exchange: commands wait in {@link #sent} until {@link #flush}, which answers each and then hands the feed
     * to the desk, as the feed consumer would.
     */
    final MatchingEngine engine = MatchingEngine.pure();
    final ArrayDeque<Map.Entry<Command, CompletableFuture<CommandResult>>> sent = new ArrayDeque<>();
    final EventCollector collector = new EventCollector(0, 0);
    final List<ExchangeEvent> feed = new ArrayList<>();
    final long[] now = {MON};
    final TradeDesk desk;

    TradeDeskAccountingTest() {
        org.opentrade.trade.port.ExchangePort exchange = new org.opentrade.trade.port.ExchangePort() {
            @Override
            public CompletionStage<CommandResult> submit(Command c) {
                CompletableFuture<CommandResult> answer = new CompletableFuture<>();
                sent.add(Map.entry(c, answer));
                return answer;
            }

            @Override
            public CompletionStage<FeedPosition> barrier(String symbol) {
                return new CompletableFuture<>();
            }
        };
        MarketTracker market = new MarketTracker(LedgerOptions.CHINA_CALENDAR_DAY);
        market.seed(SYM, 10_00);
        desk = new TradeDesk(new Ledger(LedgerOptions.A_SHARE), new RiskChecks(RiskOptions.DEFAULTS),
                new InMemoryIntentStore(), exchange, Runnable::run, () -> now[0],
                Map.of(SYM, new InstrumentInfo(SYM, "PF Bank", 10_00, 1, 100, 1_000_000, 10, 0, 0)), market);
    }

    private CommandResult run(Command c) {
        collector.begin(c);
        engine.process(c, collector);
        List<ExchangeEvent> events = List.copyOf(collector.events());
        feed.addAll(events);
        return new CommandResult(collector.lastSeq(), events, collector.code());
    }

    /** A market maker's order the desk does not follow, then the feed so far. */
    private void mm(long id, Side side, long price, long qty) {
        run(Command.limit(id, "mm", SYM, side, TimeInForce.GTC, price, qty, now[0]));
        flush();
    }

    private void flush() {
        while (!sent.isEmpty()) {
            Map.Entry<Command, CompletableFuture<CommandResult>> c = sent.poll();
            c.getValue().complete(run(c.getKey()));
        }
        List<ExchangeEvent> events = List.copyOf(feed);
        feed.clear();
        events.forEach(desk::onEvent);
    }

    private Outcome place(OrderRequest req) {
        CompletableFuture<Outcome> o = desk.place("alice", req, null, null).toCompletableFuture();
        flush();
        return o.join();
    }

    /** Hundredths of {@code value × rate}, rounded half up to the cent. */
    private static long part(long valueHundredths, String rate) {
        return new BigDecimal(valueHundredths).multiply(new BigDecimal(rate)).setScale(0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    /** The documented fee of a buy order of total value {@code value} (hundredths): per order, minimum once. */
    private static long buyFee(long value) {
        return Math.max(5_00, part(value, "0.00025")) + part(value, "0.00001");
    }

    @Test
    void aPartlyFilledBuyMayBeReplacedWithTheBuyingPowerItReallyNeedsItsMinimumCommissionPaidOnce() {
        // Cash for 200 x 10.00 and its fee, plus exactly 1.00.
        long start = 200 * 10_00 + buyFee(200 * 10_00) + 1_00;
        desk.replay(AccountOpened.of("alice", start, MON));
        Outcome buy = place(new OrderRequest("b-1", SYM, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 200, 10_00, 0));
        assertEquals(Outcome.Kind.CREATED, buy.kind(), buy.message());
        String id = buy.order().orderId();
        mm(900_001, Side.SELL, 10_00, 100); // 100 of 200 fill: the first fill pays the 5.00 minimum
        Ledger l = desk.ledger();
        long firstFee = buyFee(100 * 10_00);
        assertEquals(5_01, firstFee);
        assertEquals(start - 100 * 10_00 - firstFee, l.account("alice", s -> 0).cash());
        assertEquals(1_00, l.buyingPower("alice"));

        // The 100 left at 10.01: 1.00 more in value; the order's fee on 2 001.00 is 5.00 + 0.02, of which its first
        // fill paid 5.01, as on 2 000.00: no more fee. The replace needs exactly the 1.00 left (not another 5.00).
        long heldNow = 100 * 10_00 + buyFee(200 * 10_00) - firstFee;
        long heldAfter = 100 * 10_01 + buyFee(100 * 10_00 + 100 * 10_01) - firstFee;
        assertEquals(1_00, heldAfter - heldNow, "the replace asks exactly the 1.00 of buying power left");
        CompletableFuture<Outcome> replace = desk.replace("alice", id, 200, 10_01, null).toCompletableFuture();
        flush();
        Outcome replaced = replace.join();
        assertNull(replaced.error(), "refused: " + replaced.message());
        assertEquals(heldAfter, l.reservationOf("alice", id));
        assertEquals(0, l.buyingPower("alice"));

        mm(900_002, Side.SELL, 10_01, 100);
        AccountView a = l.account("alice", s -> 0);
        assertEquals(OrderStatus.FILLED, l.order("alice", id).status());
        assertEquals(0, a.cash(), "every cent spent, none below zero");
        assertEquals(0, a.reserved());
        assertEquals(buyFee(100 * 10_00 + 100 * 10_01), a.feesPaid(), "the fills pay the order's fee, minimum once");
    }

    @Test
    void onANewDayBeforeItsFirstTradeTheBandIsYesterdaysLastPriceAsTheExchangesAndAMarketBuyReservesItsTop() {
        desk.replay(AccountOpened.of("alice", 1_000_000_00L, MON));
        mm(900_001, Side.BUY, 10_90, 100);
        mm(900_002, Side.SELL, 10_90, 100); // Monday closes at 10.90: Tuesday's band is 10.90 ± 10 %, 9.81 to 11.99
        now[0] = TUE;
        mm(900_003, Side.SELL, 11_50, 100); // rests: Tuesday has no trade yet

        Outcome limit = place(new OrderRequest("b-1", SYM, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100, 11_40, 0));
        assertEquals(Outcome.Kind.CREATED, limit.kind(), "11.40 is inside Tuesday's band: " + limit.message());

        Ledger l = desk.ledger();
        long top = new BigDecimal("10.90").multiply(new BigDecimal("1.10")).movePointRight(2).longValueExact();
        assertEquals(11_99, top);
        CompletableFuture<Outcome> sending = desk.place("alice", new OrderRequest("m-1", SYM, Side.BUY,
                OrderType.MARKET, TimeInForce.IOC, 100, 0, 0), null, null).toCompletableFuture();
        Order pending = l.orderByClientId("alice", "m-1");
        assertEquals(OrderStatus.PENDING_NEW, pending.status(), "refused? " + (sending.isDone() ? sending.join() : ""));
        String id = pending.orderId();
        assertEquals(100 * top + buyFee(100 * top), l.reservationOf("alice", id),
                "reserved at the most it can pay today, Tuesday's upper limit");
        long beforeFill = l.account("alice", s -> 0).cash();
        flush(); // fills at 11.50
        assertEquals(Outcome.Kind.CREATED, sending.join().kind());
        Order filled = l.order("alice", id);
        assertEquals(OrderStatus.FILLED, filled.status());
        AccountView a = l.account("alice", s -> 0);
        assertEquals(beforeFill - 100 * 11_50 - buyFee(100 * 11_50), a.cash());
        assertEquals(a.cash() - l.reservationOf("alice", limit.order().orderId()), a.buyingPower());
        assertTrue(100 * 11_50 + buyFee(100 * 11_50) <= 100 * top + buyFee(100 * top), "the fill fit its reservation");
    }
}
