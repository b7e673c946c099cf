package org.opentrade.exchange.domain;

import java.util.List;

/** The small instrument universe the rule tests trade in. Prices in hundredths. */
public final class TestInstruments {
    /** Main board, ±10%, previous close 10.00: band 9.00 .. 11.00. */
    public static final String MAIN = "600000.SH";
    /** Main board, ±10%, previous close 10.05: band 9.05 .. 11.06 after half-up rounding. */
    public static final String SZ_MAIN = "000001.SZ";
    /** STAR market, ±20%, previous close 10.05: band 8.04 .. 12.06. */
    public static final String STAR = "688001.SH";
    /** ChiNext, ±20%, previous close 25.03: band 20.02 .. 30.04 (20.024 and 30.036 rounded). */
    public static final String CHINEXT = "300750.SZ";
    /** A custom instrument with a 0.05 tick, 5 000 max order size, ±10% around 10.00. */
    public static final String TICK5 = "900901.SH";

    private TestInstruments() {
    }

    public static InstrumentCatalog catalog() {
        return new InstrumentCatalog(List.of(
                Instrument.aShare(MAIN, "Pudong Bank", 1000),
                Instrument.aShare(SZ_MAIN, "Ping An Bank", 1005),
                Instrument.aShare(STAR, "STAR sample", 1005),
                Instrument.aShare(CHINEXT, "ChiNext sample", 2503),
                new Instrument(TICK5, "Tick five", 1000, 5, 100, 5_000, 10)));
    }
}
