package org.opentrade.bench.market;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrade.bench.exchange.EngineMode;
import org.opentrade.bench.exchange.MixedStream;
import org.opentrade.exchange.domain.EventCollector;
import org.opentrade.exchange.domain.MatchingEngine;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.market.domain.Bar;
import org.opentrade.market.domain.Instrument;
import org.opentrade.market.domain.Interval;
import org.opentrade.market.domain.KlineRollup;
import org.opentrade.market.domain.MarketBoard;
import org.opentrade.market.domain.MarketCalendar;
import org.opentrade.market.domain.SyntheticHistory;

/**
 * The exchange feed market-api would see for a {@link MixedStream}: the stream's warm-up and measured
 * commands run through a fresh engine of the stream's mode from empty, every event kept in order
 * (seq 1, 2, … on shard 0), so a board that applies them from seq 0 rebuilds exactly the exchange's
 * books. Built once, before anything is measured.
 *
 * <p><b>Market time.</b> The generator stamps commands with an engine clock of one millisecond per
 * thousand commands (all of a 1 M-command stream falls into a minute or two). market-api's cost per
 * trade depends on how many bars a trade's periods hold and how often bars close, so events are
 * re-stamped: command <i>i</i> (counted from the first warm-up command) happens at {@code base + i ×
 * msPerCommand}, every event of a command at its command's time.
 *
 * <p><b>History.</b> As after the service's first start, each symbol has 120 trading days of synthetic
 * history before the stream's first day ({@link SyntheticHistory}, the service's backfill): the newest
 * {@value #RECENT_MINUTE_BARS} 1m bars and all 1d bars go into a fresh board's caches and the last day
 * is its previous day ({@link #prime}), so week and month bars roll up real day bars. Immutable after
 * construction.
 */
public final class IngestStream {
    /** market-api.yaml's defaults: {@code history.recent_minute_bars}, {@code history.backfill_days}. */
    public static final int RECENT_MINUTE_BARS = 20_000;
    public static final int BACKFILL_DAYS = 120;
    /** The sandbox's calendar as market-api sees it: 24x7 trading, days ending 15:00 Shanghai time. */
    public static final MarketCalendar CALENDAR = new MarketCalendar(MarketCalendar.Kind.CONTINUOUS,
            ZoneId.of("Asia/Shanghai"), LocalTime.of(15, 0));

    /** One symbol's backfilled history. */
    private record History(List<Bar> minuteBars, List<Bar> dayBars) {
    }

    private final ExchangeEvent[] events;
    private final int measuredFrom;
    private final long measuredTrades;
    private final long warmupTrades;
    private final double msPerCommand;
    private final List<Instrument> instruments;
    private final Map<String, History> history;

    private IngestStream(ExchangeEvent[] events, int measuredFrom, long warmupTrades, long measuredTrades,
                         double msPerCommand, List<Instrument> instruments, Map<String, History> history) {
        this.history = history;
        this.events = events;
        this.measuredFrom = measuredFrom;
        this.warmupTrades = warmupTrades;
        this.measuredTrades = measuredTrades;
        this.msPerCommand = msPerCommand;
        this.instruments = instruments;
    }

    /**
     * Runs the stream through a fresh engine and keeps its events, re-stamped at {@code msPerCommand}
     * of market time per command from the stream's first command's time.
     *
     * @throws IllegalStateException when a command is rejected (the stream would not be the generator's)
     */
    public static IngestStream build(MixedStream stream, double msPerCommand) {
        if (!(msPerCommand > 0)) {
            throw new IllegalArgumentException("ms per command must be positive, was " + msPerCommand);
        }
        String[] symbols = stream.symbols();
        MatchingEngine engine = stream.mode().newEngine(symbols);
        EventCollector collector = new EventCollector(0);
        Command[] warmup = stream.warmup();
        Command[] measured = stream.commands();
        long base = warmup.length > 0 ? warmup[0].timestamp() : measured[0].timestamp();
        List<ExchangeEvent> out = new ArrayList<>((int) ((warmup.length + measured.length) * 1.3));
        long[] trades = new long[2];
        int measuredFrom = -1;
        long index = 0;
        for (int part = 0; part < 2; part++) {
            if (part == 1) {
                measuredFrom = out.size();
            }
            for (Command c : part == 0 ? warmup : measured) {
                collector.begin(c);
                engine.process(c, collector);
                if (collector.code() != ResultCode.OK) {
                    throw new IllegalStateException("command " + index + " of the stream was rejected: " + collector.code());
                }
                long time = base + (long) Math.floor(index * msPerCommand);
                for (ExchangeEvent e : collector.events()) {
                    out.add(restamp(e, time));
                    if (e.type() == EventType.TRADE) {
                        trades[part]++;
                    }
                }
                index++;
            }
        }
        if (!engine.stateHash().equals(stream.endHash())) {
            throw new IllegalStateException("the engine did not end in the generator's final state");
        }
        List<Instrument> instruments = new ArrayList<>();
        for (int i = 0; i < symbols.length; i++) {
            org.opentrade.exchange.domain.Instrument x = EngineMode.instrument(symbols, i);
            instruments.add(new Instrument(x.symbol(), x.name(), Instrument.boardOf(x.symbol()), x.prevClose(),
                    x.tickSize(), x.boardLot(), x.maxOrderQty(), x.bandPercent(), 1_000_000_000L, 100));
        }
        LocalDate lastDay = CALENDAR.tradingDay(base).minusDays(1);
        while (lastDay.getDayOfWeek() == DayOfWeek.SATURDAY || lastDay.getDayOfWeek() == DayOfWeek.SUNDAY) {
            lastDay = lastDay.minusDays(1);
        }
        Map<String, History> history = new LinkedHashMap<>();
        for (Instrument i : instruments) {
            List<Bar> minutes = SyntheticHistory.minuteBars(i, lastDay, BACKFILL_DAYS, 20260101L * 31 + i.symbol().hashCode(),
                    0.01, CALENDAR.zone());
            List<Bar> days = KlineRollup.rollup(Interval.D1, minutes, CALENDAR);
            history.put(i.symbol(), new History(List.copyOf(minutes.subList(Math.max(0, minutes.size()
                    - RECENT_MINUTE_BARS), minutes.size())), List.copyOf(days)));
        }
        return new IngestStream(out.toArray(new ExchangeEvent[0]), measuredFrom, trades[0], trades[1], msPerCommand,
                List.copyOf(instruments), history);
    }

    /**
     * Gives a fresh board the backfilled history, as the service's start-up does ({@code
     * HistoryLoader.Loaded.applyTo}): caches filled, the last backfilled day as the previous day.
     * On the board's context.
     */
    public void prime(MarketBoard board) {
        for (MarketBoard.SymbolState st : board.all()) {
            History h = history.get(st.instrument().symbol());
            if (h == null) {
                continue;
            }
            h.minuteBars().forEach(st.minuteBars()::add);
            h.dayBars().forEach(st.dayBars()::add);
            board.restore(st.instrument().symbol(), h.dayBars().isEmpty() ? null : h.dayBars().get(h.dayBars().size() - 1),
                    List.of());
        }
    }

    private static ExchangeEvent restamp(ExchangeEvent e, long time) {
        return new ExchangeEvent(e.seq(), e.shard(), e.type(), e.orderId(), e.account(), e.counterOrderId(),
                e.counterAccount(), e.symbol(), e.side(), e.orderType(), e.tif(), e.price(), e.qty(), e.leavesQty(),
                e.filledQty(), e.counterLeavesQty(), e.resultCode(), time, e.traceParent());
    }

    /** Every event, warm-up part first. Shared array: do not modify. */
    public ExchangeEvent[] events() {
        return events;
    }

    /** Index of the first measured event. */
    public int measuredFrom() {
        return measuredFrom;
    }

    public int measuredEvents() {
        return events.length - measuredFrom;
    }

    public long measuredTrades() {
        return measuredTrades;
    }

    public long warmupTrades() {
        return warmupTrades;
    }

    public double msPerCommand() {
        return msPerCommand;
    }

    /** market-api's view of the stream's instruments (same previous close, tick, lot and band as the engine's). */
    public List<Instrument> instruments() {
        return instruments;
    }

    /** Market time the measured part spans, in seconds. */
    public double measuredMarketSeconds() {
        return (events[events.length - 1].timestamp() - events[measuredFrom].timestamp()) / 1e3;
    }
}
