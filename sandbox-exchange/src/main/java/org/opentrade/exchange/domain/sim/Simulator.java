package org.opentrade.exchange.domain.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.model.SessionPhase;
import org.opentrade.exchange.model.TradingCalendar;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;

/**
 * The liquidity simulator: keeps the sandbox alive with market makers quoting a ladder around a
 * random-walk fair value per instrument, and noise traders taking and adding liquidity.
 *
 * <p>It is a pure function of what it is given: time comes in through {@link #step}, what happened
 * to its orders through {@link #onEvents}, randomness from the seed. The same seed, start time and
 * event feed give the same commands. It reads no clock, keeps no thread and does no I/O.
 *
 * <p>Its orders use ids from the reserved range {@code [2^62, 2^63)} (see {@link #firstOrderIdFor})
 * and accounts named {@code sim-mm-N} and {@code sim-noise-N}. It sends only what the exchange's
 * rules accept in a normal session: it acts only in continuous trading and not within
 * {@link #BOUNDARY_GUARD_MILLIS} of a session change, prices on the tick and inside the daily band
 * (mirroring the engine's band roll at each day end), board lots, and at most one command in
 * flight per order. Races with other traders (an order filled while its cancel is in flight) are
 * the only rejections it should ever see.
 *
 * <p>Not thread-safe: call {@link #step} and {@link #onEvents} from one thread (the service's
 * timer).
 */
public final class Simulator {
    /** First id of the range reserved for simulator orders; other callers must stay below it. */
    public static final long RESERVED_ID_BASE = 1L << 62;
    /** No new orders this close to a session boundary (engine and simulator clocks may differ a little). */
    public static final long BOUNDARY_GUARD_MILLIS = 1_000;
    /** Longest time one step simulates: after a stall the walk resumes instead of jumping. */
    public static final long MAX_STEP_MILLIS = 1_000;
    public static final String MAKER_PREFIX = "sim-mm-";
    public static final String NOISE_PREFIX = "sim-noise-";

    private final SimulatorOptions options;
    private final TradingCalendar calendar;
    private final SplittableRandom random;
    private final OrderEntry entry;
    private final Map<String, SymbolSim> symbols = new LinkedHashMap<>();
    private boolean enabled;
    private boolean started;
    private long lastStep;
    private long nextBoundary = Long.MAX_VALUE;

    /**
     * @param firstOrderId first order id to use; {@link #firstOrderIdFor} of the start time keeps ids of
     *                     successive runs on the same journal apart
     */
    public Simulator(SimulatorOptions options, InstrumentCatalog catalog, TradingCalendar calendar,
                     long firstOrderId) {
        if (firstOrderId < RESERVED_ID_BASE) {
            throw new IllegalArgumentException("simulator order ids must start at or above 2^62, got " + firstOrderId);
        }
        this.options = options;
        this.calendar = calendar;
        this.random = new SplittableRandom(options.seed());
        this.entry = new OrderEntry(firstOrderId);
        this.enabled = options.enabled();
        String[] makers = accounts(MAKER_PREFIX, options.makers());
        String[] noise = accounts(NOISE_PREFIX, options.noiseTraders());
        for (Instrument i : catalog.all()) {
            SymbolSim s = new SymbolSim(i, options, makers, noise);
            s.setEnabled(!options.disabledSymbols().contains(i.symbol()));
            symbols.put(i.symbol(), s);
        }
    }

    /**
     * The first order id for a run starting at {@code startMillis}: runs started at least a
     * millisecond apart never overlap as long as each sends fewer than 1 000 orders per
     * millisecond of its own run time.
     */
    public static long firstOrderIdFor(long startMillis) {
        return RESERVED_ID_BASE + Math.max(0, startMillis) * 1_000;
    }

    /** True for the simulator's own accounts. */
    public static boolean isSimulatorAccount(String account) {
        return account != null && (account.startsWith(MAKER_PREFIX) || account.startsWith(NOISE_PREFIX));
    }

    /** True when the event concerns a simulator order, or is a trade (the simulator follows last prices). */
    public static boolean wants(ExchangeEvent e) {
        return e.type() == EventType.TRADE || isSimulatorAccount(e.account());
    }

    /**
     * Advances to {@code nowMillis} and returns the commands to send, in order. Send them in that
     * order: each instrument's commands are ordered so the maker's moving side never crosses itself.
     */
    public List<Command> step(long nowMillis) {
        entry.begin(nowMillis);
        if (!started) {
            started = true;
            lastStep = nowMillis;
            nextBoundary = calendar.nextBoundaryAfter(nowMillis);
        }
        long dt = Math.min(MAX_STEP_MILLIS, Math.max(0, nowMillis - lastStep));
        lastStep = Math.max(lastStep, nowMillis);
        while (nowMillis >= nextBoundary) {
            if (calendar.isTradingDayEnd(nextBoundary)) {
                symbols.values().forEach(SymbolSim::rollDay);
            }
            nextBoundary = calendar.nextBoundaryAfter(nextBoundary);
        }
        boolean open = calendar.phaseAt(nowMillis) == SessionPhase.CONTINUOUS
                && nextBoundary - nowMillis > BOUNDARY_GUARD_MILLIS;
        for (SymbolSim s : symbols.values()) {
            s.walk(dt, random);
            if (!enabled || !s.isEnabled()) {
                s.withdraw(entry);
            } else if (open) {
                s.trade(entry, options, dt, nowMillis, random);
            }
        }
        return entry.commands();
    }

    /** Learns what happened; pass every event {@link #wants} (others are ignored), in exchange order. */
    public void onEvents(List<ExchangeEvent> events) {
        for (ExchangeEvent e : events) {
            if (e.type() == EventType.TRADE) {
                SymbolSim s = symbols.get(e.symbol());
                if (s != null) {
                    s.onTrade(e.price());
                }
            }
            entry.apply(e);
        }
    }

    /** Cancels for every live simulator order (a clean stop), stamped {@code nowMillis}. */
    public List<Command> cancelAll(long nowMillis) {
        entry.begin(nowMillis);
        entry.cancelAllLive();
        return entry.commands();
    }

    /** Switches the whole simulator; when off, the next step cancels its resting orders. */
    public void setEnabled(boolean on) {
        enabled = on;
    }

    /** Switches one instrument; when off, the next step cancels its resting orders there. */
    public void setEnabled(String symbol, boolean on) {
        SymbolSim s = symbols.get(symbol);
        if (s == null) {
            throw new IllegalArgumentException("unknown instrument " + symbol);
        }
        s.setEnabled(on);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public SimulatorStats stats() {
        return entry.stats();
    }

    /** Current fair value of an instrument in hundredths (diagnostics and tests). */
    public double fairValue(String symbol) {
        return symbols.get(symbol).fairValue();
    }

    /** The band reference the simulator believes the engine uses for an instrument. */
    public long referencePrice(String symbol) {
        return symbols.get(symbol).reference();
    }

    private static String[] accounts(String prefix, int n) {
        String[] a = new String[n];
        for (int i = 0; i < n; i++) {
            a[i] = prefix + (i + 1);
        }
        return a;
    }
}
