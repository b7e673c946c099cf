package org.opentrade.exchange.domain.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.adapter.csv.UniverseFile;
import org.opentrade.exchange.model.AShareCalendar;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.domain.OrderBook;
import org.opentrade.exchange.model.SessionPhase;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;

class SimulatorTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final InstrumentCatalog UNIVERSE = UniverseFile.loadDefault();

    private static long at(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant().toEpochMilli();
    }

    private static String describe(List<ExchangeEvent> rejections) {
        return rejections.stream().limit(5).map(e -> e.resultCode() + " " + e).toList().toString();
    }

    @Test
    void threeSimulatedHoursAcrossADayEndProduceNoRejectionsAndALiveTwoSidedMarket() {
        // 13:00 to 16:00 on the 24x7 calendar: the trading day ends at 15:00 (DAY orders expire, band rolls).
        SimHarness h = new SimHarness(UNIVERSE, new ContinuousCalendar(), SimulatorOptions.defaults(),
                at("2026-03-02T13:00:00"));
        Map<String, Integer> twoSided = new HashMap<>();
        Map<String, List<Long>> spreadTicks = new HashMap<>();
        int samples = 0;
        for (int i = 1; i <= 3 * 3600 * 4; i++) {
            h.step(250);
            if (i % 4 != 0) {
                continue;
            }
            samples++;
            for (Instrument ins : UNIVERSE.all()) {
                OrderBook book = h.engine.book(ins.symbol());
                long bid = book.bestPrice(Side.BUY);
                long ask = book.bestPrice(Side.SELL);
                if (bid != Price.NONE && ask != Price.NONE) {
                    twoSided.merge(ins.symbol(), 1, Integer::sum);
                    spreadTicks.computeIfAbsent(ins.symbol(), k -> new ArrayList<>()).add((ask - bid) / ins.tickSize());
                    assertTrue(ask > bid, "the book is never left crossed: " + ins.symbol());
                }
                long ref = h.engine.referencePrice(ins.symbol());
                double fair = h.sim.fairValue(ins.symbol());
                assertTrue(fair > Instrument.lowerLimit(ref, ins.bandPercent(), 1)
                        && fair < Instrument.upperLimit(ref, ins.bandPercent(), 1), "fair value inside the band");
            }
        }
        assertTrue(h.rejections.isEmpty(), h.rejections.size() + " rejections, e.g. " + describe(h.rejections));
        Map<String, Integer> tradesPerSymbol = new HashMap<>();
        for (ExchangeEvent t : h.trades) {
            tradesPerSymbol.merge(t.symbol(), 1, Integer::sum);
        }
        for (Instrument ins : UNIVERSE.all()) {
            String s = ins.symbol();
            assertTrue(twoSided.getOrDefault(s, 0) >= samples * 0.95, s + " two-sided in "
                    + twoSided.getOrDefault(s, 0) + " of " + samples + " samples");
            assertTrue(tradesPerSymbol.getOrDefault(s, 0) > 100, s + " traded " + tradesPerSymbol.get(s) + " times");
            List<Long> spreads = spreadTicks.get(s);
            spreads.sort(null);
            long median = spreads.get(spreads.size() / 2);
            // A step is 5 bps of the price, at least a tick; the inside spread is two steps.
            long step = Math.max(1, Math.round(ins.prevClose() * 5 / 10_000.0));
            assertTrue(median <= 3 * step, s + " median spread " + median + " ticks, step " + step);
            if (ins.prevClose() < 20_00) {
                assertTrue(median <= 4, s + " a cheap stock's spread is a few ticks, got " + median);
            }
        }
        assertTrue(h.sim.stats().rejections() == 0);
    }

    @Test
    void tradePricesStayInsideTheDailyBand() {
        SimHarness h = new SimHarness(UNIVERSE, new ContinuousCalendar(), SimulatorOptions.defaults(),
                at("2026-03-02T14:30:00"));
        for (int i = 0; i < 3600 * 4; i++) {
            int before = h.trades.size();
            h.step(250);
            for (ExchangeEvent t : h.trades.subList(before, h.trades.size())) {
                Instrument ins = UNIVERSE.get(t.symbol());
                long ref = h.engine.referencePrice(t.symbol());
                assertTrue(t.price() >= Instrument.lowerLimit(ref, ins.bandPercent(), 1)
                        && t.price() <= Instrument.upperLimit(ref, ins.bandPercent(), 1), "trade inside band: " + t);
            }
        }
        assertTrue(h.trades.size() > 1_000, "trades: " + h.trades.size());
        assertTrue(h.rejections.isEmpty(), describe(h.rejections));
    }

    @Test
    void aShareDayTradesOnlyInContinuousSessionsWithoutRejections() {
        AShareCalendar calendar = new AShareCalendar(Set.of());
        SimHarness h = new SimHarness(UNIVERSE, calendar, SimulatorOptions.defaults(), at("2026-03-02T09:00:00"));
        h.keepSent = true;
        int morning = 0;
        int afternoon = 0;
        while (h.now < at("2026-03-02T15:30:00")) {
            int before = h.trades.size();
            List<Command> sent = h.step(500);
            if (!sent.isEmpty()) {
                assertEquals(SessionPhase.CONTINUOUS, calendar.phaseAt(h.now), "commands sent at " + h.now);
            }
            for (ExchangeEvent t : h.trades.subList(before, h.trades.size())) {
                if (h.now < at("2026-03-02T12:00:00")) {
                    morning++;
                } else {
                    afternoon++;
                }
            }
        }
        assertTrue(h.rejections.isEmpty(), describe(h.rejections));
        assertTrue(morning > 1_000 && afternoon > 1_000, "morning " + morning + ", afternoon " + afternoon);
        assertEquals(0, h.engine.liveOrders(), "every simulator order was DAY and expired at the close");
    }

    @Test
    void sameSeedAndStartGiveTheSameCommandsAndState() {
        SimHarness a = new SimHarness(UNIVERSE, new ContinuousCalendar(), SimulatorOptions.defaults(), 1_000_000L);
        SimHarness b = new SimHarness(UNIVERSE, new ContinuousCalendar(), SimulatorOptions.defaults(), 1_000_000L);
        SimHarness c = new SimHarness(UNIVERSE, new ContinuousCalendar(), SimulatorOptions.defaults().withSeed(7),
                1_000_000L);
        for (int i = 0; i < 2_000; i++) {
            assertEquals(a.step(100), b.step(100));
            c.step(100);
        }
        assertEquals(a.engine.stateHash(), b.engine.stateHash());
        assertNotEquals(a.engine.stateHash(), c.engine.stateHash());
    }

    @Test
    void ordersUseTheReservedIdRangeAndSimulatorAccounts() {
        SimHarness h = new SimHarness(UNIVERSE, new ContinuousCalendar(), SimulatorOptions.defaults(), 1_000_000L);
        h.keepSent = true;
        for (int i = 0; i < 200; i++) {
            h.step(100);
        }
        assertTrue(h.sent.size() > 100);
        for (Command c : h.sent) {
            assertTrue(c.orderId() >= Simulator.RESERVED_ID_BASE, "id " + c.orderId());
            assertTrue(c.account().startsWith("sim-mm-") || c.account().startsWith("sim-noise-"), c.account());
            assertTrue(Simulator.isSimulatorAccount(c.account()));
            assertEquals(h.now, c.timestamp() + (h.now - c.timestamp()), "time is passed in");
        }
        assertTrue(h.sent.stream().anyMatch(c -> c.type() == CommandType.REPLACE), "makers re-quote by replace");
        assertTrue(h.sent.stream().anyMatch(c -> c.type() == CommandType.NEW_ORDER
                && c.orderType() == org.opentrade.exchange.model.OrderType.MARKET), "noise sends market orders");
    }

    @Test
    void successiveRunsDrawIdsFromDisjointRanges() {
        long first = Simulator.firstOrderIdFor(1_767_225_600_000L);
        long next = Simulator.firstOrderIdFor(1_767_225_600_001L);
        assertTrue(first >= Simulator.RESERVED_ID_BASE && next - first == 1_000);
        assertThrows(IllegalArgumentException.class, () -> new Simulator(SimulatorOptions.defaults(), UNIVERSE,
                new ContinuousCalendar(), 42));
    }

    @Test
    void disabledSimulatorSendsNothing() {
        SimHarness h = new SimHarness(UNIVERSE, new ContinuousCalendar(),
                SimulatorOptions.defaults().withEnabled(false), 1_000_000L);
        for (int i = 0; i < 100; i++) {
            assertTrue(h.step(100).isEmpty());
        }
    }

    @Test
    void disabledSymbolIsLeftAlone() {
        SimHarness h = new SimHarness(UNIVERSE, new ContinuousCalendar(),
                SimulatorOptions.defaults().withDisabledSymbols(Set.of("600519.SH")), 1_000_000L);
        h.keepSent = true;
        for (int i = 0; i < 300; i++) {
            h.step(100);
        }
        assertTrue(h.sent.stream().noneMatch(c -> "600519.SH".equals(c.symbol())));
        assertTrue(h.sent.stream().anyMatch(c -> "600000.SH".equals(c.symbol())));
    }

    @Test
    void switchingAnInstrumentOffWithdrawsItsOrders() {
        SimHarness h = new SimHarness(UNIVERSE, new ContinuousCalendar(), SimulatorOptions.defaults(), 1_000_000L);
        for (int i = 0; i < 100; i++) {
            h.step(100);
        }
        assertTrue(h.engine.book("600000.SH").orderCount() > 0);
        h.sim.setEnabled("600000.SH", false);
        h.step(100);
        assertEquals(0, h.engine.book("600000.SH").orderCount());
        assertTrue(h.engine.book("601318.SH").orderCount() > 0);
        h.sim.setEnabled(false);
        h.step(100);
        assertEquals(0, h.engine.liveOrders());
        assertTrue(h.rejections.isEmpty(), describe(h.rejections));
    }

    @Test
    void cancelAllLeavesNoSimulatorOrderResting() {
        SimHarness h = new SimHarness(UNIVERSE, new ContinuousCalendar(), SimulatorOptions.defaults(), 1_000_000L);
        for (int i = 0; i < 300; i++) {
            h.step(100);
        }
        assertTrue(h.engine.liveOrders() > 0);
        for (Command c : h.sim.cancelAll(h.now)) {
            h.process(c);
        }
        assertEquals(0, h.engine.liveOrders());
        assertEquals(0, h.sim.stats().liveOrders());
        assertTrue(h.rejections.isEmpty(), describe(h.rejections));
    }

    @Test
    void badOptionIsRefusedWithItsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulatorOptions.defaults().withOrdersPerSecond(-1));
        assertTrue(e.getMessage().contains("ordersPerSecond"), e.getMessage());
    }
}
