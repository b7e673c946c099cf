package org.opentrade.exchange.testing;

import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.model.TradingCalendar;

/** The small universe the crash tests' separate processes trade: four symbols over both band widths. */
public final class CrashUniverse {
    public static final String[] SYMBOLS = {"600000.SH", "000001.SZ", "300750.SZ", "688981.SH"};
    public static final long[] PRICES = {1000, 1200, 20000, 9000};
    public static final InstrumentCatalog CATALOG;
    /** Continuous trading; the day ends at 12:00 UTC, so long runs cross day ends. */
    public static final TradingCalendar CALENDAR = new ContinuousCalendar(ZoneOffset.UTC, LocalTime.of(12, 0));

    static {
        List<Instrument> l = new ArrayList<>();
        for (int i = 0; i < SYMBOLS.length; i++) {
            l.add(Instrument.aShare(SYMBOLS[i], SYMBOLS[i], PRICES[i]));
        }
        CATALOG = new InstrumentCatalog(l);
    }

    private CrashUniverse() {
    }
}
