package org.opentrade.bench.trade;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An instrument as the trade benchmark prices orders for it: the band's reference price
 * ({@code prev_close} of a fresh exchange), tick, band and lot, in hundredths of a yuan. Written by
 * {@link TradeBenchSetup} from {@code GET /v1/market/instruments}, one line each:
 * {@code symbol prev_close tick_size price_band_pct lot_size}. Immutable.
 *
 * <p>Prices are chosen from the reference alone, not from live quotes, so every run sends the same
 * bodies: the simulator keeps its fair value within ±4 % of the reference (exchange.yaml
 * {@code fair_value_range} 0.4 of a ±10 % band) and quotes a few steps of 5 bp around it. A buy at
 * 91-92 % of the reference therefore rests (below every quote) and is still inside the band; a buy at
 * 106 % or a sell at 94 % crosses the best quote and fills at it (an IOC limit, so it never rests).
 *
 * @param reference band reference in hundredths
 * @param tick tick in hundredths
 * @param bandPct the daily band in percent of the reference (10, or 20 for ChiNext and STAR)
 */
public record BenchSymbol(String symbol, long reference, long tick, int bandPct, int lot) {
    /** Resting buys are priced at 920, 918, ... 912 per mille of the reference (five levels). */
    public static final int RESTING_PER_MILLE = 920;
    public static final int RESTING_LEVELS = 5;
    /** Crossing buys and sells: this far above / below the reference, well past the simulator's quotes. */
    public static final int CROSSING_PER_MILLE = 60;

    public BenchSymbol {
        if (reference <= 0 || tick <= 0 || bandPct <= 0 || bandPct >= 100 || lot <= 0) {
            throw new IllegalArgumentException("bad instrument " + symbol);
        }
    }

    /** The lowest price the band allows (rounded up to the tick). */
    public long bandLow() {
        return roundUp(ceilDiv(reference * (100 - bandPct), 100));
    }

    /** The highest price the band allows (rounded down to the tick). */
    public long bandHigh() {
        return roundDown(Math.floorDiv(reference * (100 + bandPct), 100));
    }

    /** A buy that rests: level {@code index % 5} of the five resting levels, never below the band. */
    public long restingBuy(long index) {
        long perMille = RESTING_PER_MILLE - 2 * (index % RESTING_LEVELS);
        return Math.max(bandLow(), roundDown(reference * perMille / 1000));
    }

    /** A marketable buy limit: 6 % above the reference, capped at the band. */
    public long crossingBuy() {
        return Math.min(bandHigh(), roundDown(reference * (1000 + CROSSING_PER_MILLE) / 1000));
    }

    /** A marketable sell limit: 6 % below the reference, not under the band. */
    public long crossingSell() {
        return Math.max(bandLow(), roundUp(ceilDiv(reference * (1000 - CROSSING_PER_MILLE), 1000)));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b); // Math.ceilDiv is Java 18
    }

    private long roundDown(long price) {
        return price - Math.floorMod(price, tick);
    }

    private long roundUp(long price) {
        long r = Math.floorMod(price, tick);
        return r == 0 ? price : price + tick - r;
    }

    /** Hundredths as the API's decimal string ({@code 960} → {@code "9.60"}). */
    public static String decimal(long hundredths) {
        return String.format(Locale.ROOT, "%d.%02d", hundredths / 100, hundredths % 100);
    }

    /** Parses a decimal string ("9.6", "9.60") into hundredths. */
    public static long hundredths(String decimal) {
        return new BigDecimal(decimal).movePointRight(2).longValueExact();
    }

    /** The file line. */
    public String line() {
        return symbol + " " + decimal(reference) + " " + decimal(tick) + " " + bandPct + " " + lot;
    }

    /** Reads a symbols file; blank lines and {@code #} comments are skipped. */
    public static List<BenchSymbol> read(Path file) throws IOException {
        List<BenchSymbol> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] p = l.split("\\s+");
            if (p.length != 5) {
                throw new IOException(file + ": expected 'symbol prev_close tick band_pct lot', got '" + l + "'");
            }
            out.add(new BenchSymbol(p[0], hundredths(p[1]), hundredths(p[2]), Integer.parseInt(p[3]),
                    Integer.parseInt(p[4])));
        }
        if (out.isEmpty()) {
            throw new IOException(file + " holds no symbol");
        }
        return out;
    }
}
