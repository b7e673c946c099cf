package org.opentrade.bench.exchange;

import java.util.ArrayList;
import java.util.List;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.domain.MatchingEngine;

/**
 * How the benchmarked engine is built. {@link #PURE} is the replay contract's pure matching;
 * {@link #RULES} is the live sandbox configuration: A-share instrument rules (tick, board lot,
 * ±10%/±20% band), the 24×7 {@link ContinuousCalendar} and self-trade prevention.
 */
public enum EngineMode {
    PURE, RULES;

    /** A-share style codes with their previous close (hundredths); prices stay well inside the band. */
    private static final String[] SYMBOLS = {
        "600000.SH", "600519.SH", "000001.SZ", "300750.SZ", "688981.SH", "601318.SH", "000858.SZ", "002594.SZ",
        "600036.SH", "601012.SH", "000333.SZ", "002415.SZ", "600276.SH", "601888.SH", "300059.SZ", "688111.SH"
    };
    /** Previous close of symbol i: 20.00 + i, so the ±10% band spans at least 400 ticks. */
    private static final long BASE_PREV_CLOSE = 2_000;

    /** The first {@code n} benchmark symbols. */
    public static String[] symbols(int n) {
        if (n < 1 || n > SYMBOLS.length) {
            throw new IllegalArgumentException("symbols must be in [1, " + SYMBOLS.length + "], was " + n);
        }
        String[] s = new String[n];
        System.arraycopy(SYMBOLS, 0, s, 0, n);
        return s;
    }

    /** The instrument (rules, band reference) used for symbol number {@code i}, in both modes. */
    public static Instrument instrument(String[] symbols, int i) {
        return Instrument.aShare(symbols[i], symbols[i], BASE_PREV_CLOSE + 100L * i);
    }

    public static InstrumentCatalog catalog(String[] symbols) {
        List<Instrument> list = new ArrayList<>();
        for (int i = 0; i < symbols.length; i++) {
            list.add(instrument(symbols, i));
        }
        return new InstrumentCatalog(list);
    }

    /** A fresh engine of this mode for the given symbols. */
    public MatchingEngine newEngine(String[] symbols) {
        return this == PURE ? MatchingEngine.pure()
                : MatchingEngine.withRules(catalog(symbols), new ContinuousCalendar());
    }
}
