package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.ContinuousCalendar;

/** The instrument universe file and the rules derived from each code. */
class InstrumentCatalogTest {

    @Test
    void universeFileGivesAShareRulesByCode() throws Exception {
        InstrumentCatalog c = InstrumentCatalog.parseCsv(new StringReader("""
                # the default universe
                symbol,name,prev_close
                600519.SH,Kweichow Moutai,1688.00

                688981.SH,SMIC,85.5
                300750.SZ,CATL,190.01
                """));
        assertEquals(3, c.size());
        Instrument moutai = c.get("600519.SH");
        assertEquals(168_800, moutai.prevClose());
        assertEquals(10, moutai.bandPercent());
        assertEquals(100, moutai.boardLot());
        assertEquals(1, moutai.tickSize());
        assertEquals(20, c.get("688981.SH").bandPercent());
        assertEquals(8_550, c.get("688981.SH").prevClose());
        assertEquals(20, c.get("300750.SZ").bandPercent());
        assertNull(c.get("000000.SZ"));
        assertNull(c.get(null));
    }

    @Test
    void missingHeaderIsRefusedWithTheLineNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InstrumentCatalog.parseCsv(new StringReader("\n600519.SH,Moutai,1688.00\n")));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void unreadablePreviousCloseIsRefusedWithTheLineNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InstrumentCatalog.parseCsv(new StringReader("symbol,name,prev_close\nA,a,1.234\n")));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("1.234"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> InstrumentCatalog.parseCsv(new StringReader("symbol,name,prev_close\nA,a,0\n")));
        assertThrows(IllegalArgumentException.class,
                () -> InstrumentCatalog.parseCsv(new StringReader("symbol,name,prev_close\nA,a\n")));
    }

    @Test
    void emptyUniverseAndDuplicateSymbolsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> InstrumentCatalog.parseCsv(new StringReader("symbol,name,prev_close\n")));
        assertThrows(IllegalArgumentException.class, () -> new InstrumentCatalog(List.of(
                Instrument.aShare("A", "a", 100), Instrument.aShare("A", "b", 200))));
    }

    @Test
    void instrumentRulesMustMakeSense() {
        assertThrows(IllegalArgumentException.class, () -> new Instrument(" ", "x", 100, 1, 100, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new Instrument("A", "x", 0, 1, 100, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new Instrument("A", "x", 100, 0, 100, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new Instrument("A", "x", 100, 1, 100, 1, 100));
        assertThrows(IllegalArgumentException.class, () -> new Instrument("A", "x", 100, 1, 100, 1, -1));
    }

    @Test
    void engineWithRulesNeedsACatalogAndACalendar() {
        assertThrows(IllegalArgumentException.class, () -> MatchingEngine.withRules(null, new ContinuousCalendar()));
        assertThrows(IllegalArgumentException.class,
                () -> MatchingEngine.withRules(TestInstruments.catalog(), null));
    }
}
