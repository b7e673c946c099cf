package org.opentrade.market.adapter.influx;

import java.util.regex.Pattern;

/**
 * Building blocks of InfluxQL text: literals, identifiers and time bounds. Everything that reaches
 * a statement from outside goes through here, validated and escaped, so no value can end a literal
 * early (InfluxQL injection). Stateless.
 */
final class InfluxQl {
    /**
     * Symbols as the exchange lists them: {@code 600000.SH}, {@code 000001.SZ}, {@code BTC.X}. At least every
     * {@link org.opentrade.market.domain.Instrument#SYMBOL} (up to 17 characters): it took 16, so trades of a
     * 17-character symbol that market-api serves were refused by this store alone.
     */
    static final Pattern SYMBOL = Pattern.compile("[0-9A-Za-z.]{1,17}");
    /** InfluxDB's time range in epoch ns (Go's models.MinNanoTime and MaxNanoTime). */
    static final long MIN_NS = Long.MIN_VALUE + 2;
    static final long MAX_NS = Long.MAX_VALUE - 1;
    static final long NS_PER_MS = 1_000_000L;

    private InfluxQl() {
    }

    /** {@code symbol}, if it is one; else IllegalArgumentException (never reaches the server). */
    static String symbol(String symbol) {
        if (symbol == null || !SYMBOL.matcher(symbol).matches()) {
            throw new IllegalArgumentException("symbol must match " + SYMBOL.pattern() + ", got '" + symbol + "'");
        }
        return symbol;
    }

    /** A single-quoted string literal; backslash and quote escaped (defence in depth after {@link #symbol}). */
    static String string(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** A double-quoted identifier (database, retention policy, measurement, field, tag). */
    static String identifier(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Epoch ms as epoch ns, saturated to InfluxDB's range (so 0 and Long.MAX_VALUE mean "all"). */
    static long nanos(long millis) {
        if (millis >= MAX_NS / NS_PER_MS) {
            return MAX_NS;
        }
        if (millis <= MIN_NS / NS_PER_MS) {
            return MIN_NS;
        }
        return millis * NS_PER_MS;
    }
}
