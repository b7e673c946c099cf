package org.opentrade.bench.trade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchSymbolTest {
    private static final BenchSymbol PF_BANK = new BenchSymbol("600000.SH", 1045, 1, 10, 100);
    private static final BenchSymbol CATL = new BenchSymbol("300750.SZ", 25130, 1, 20, 100);

    @Test
    void restingBuysAreFiveLevelsBetween91And92PercentOfTheReferenceInsideTheBand() {
        // 10.45 * 0.920 = 9.614 -> 9.61; * 0.912 = 9.5304 -> 9.53; band low 10.45 * 0.9 = 9.405 -> 9.41
        assertEquals(961, PF_BANK.restingBuy(0));
        assertEquals(953, PF_BANK.restingBuy(4));
        assertEquals(961, PF_BANK.restingBuy(5), "levels repeat");
        assertEquals(941, PF_BANK.bandLow());
        for (long i = 0; i < 5; i++) {
            long p = PF_BANK.restingBuy(i);
            assertTrue(p >= PF_BANK.bandLow() && p * 100 < 1045 * 96, "below the simulator's lowest fair value: " + p);
        }
    }

    @Test
    void crossingPricesAre6PercentAwayFromTheReferenceAndInsideTheBand() {
        assertEquals(1107, PF_BANK.crossingBuy(), "10.45 * 1.06 = 11.077 rounded down");
        assertEquals(983, PF_BANK.crossingSell(), "10.45 * 0.94 = 9.823 rounded up");
        assertEquals(1149, PF_BANK.bandHigh(), "10.45 * 1.1 = 11.495 rounded down");
        assertEquals(26637, CATL.crossingBuy(), "251.30 * 1.06 = 266.378 rounded down");
        assertEquals(30156, CATL.bandHigh(), "±20 % board");
    }

    @Test
    void aCoarseTickRoundsAwayFromTheBandEdge() {
        BenchSymbol s = new BenchSymbol("X", 1000, 5, 10, 100); // 10.00, tick 0.05
        assertEquals(900, s.bandLow());
        assertEquals(1100, s.bandHigh());
        assertEquals(920, s.restingBuy(0));
        assertEquals(910, s.restingBuy(4), "9.12 rounded down to 9.10");
        assertEquals(1060, s.crossingBuy());
        assertEquals(940, s.crossingSell());
    }

    @Test
    void aSymbolsFileRoundTrips(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("symbols.txt");
        Files.write(f, List.of("# comment", PF_BANK.line(), "", CATL.line()));
        assertEquals(List.of(PF_BANK, CATL), BenchSymbol.read(f));
        assertEquals("600000.SH 10.45 0.01 10 100", PF_BANK.line());
        assertEquals("9.60", BenchSymbol.decimal(960));
        assertEquals(960, BenchSymbol.hundredths("9.6"));
    }
}
