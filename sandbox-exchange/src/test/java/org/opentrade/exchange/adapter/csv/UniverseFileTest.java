package org.opentrade.exchange.adapter.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.domain.InstrumentCatalog;

class UniverseFileTest {

    @Test
    void defaultUniverseHoldsAboutThirtyAShares() {
        InstrumentCatalog c = UniverseFile.load(null);
        assertTrue(c.size() >= 28 && c.size() <= 40, "size " + c.size());
        Instrument moutai = c.get("600519.SH");
        assertNotNull(moutai);
        assertEquals("贵州茅台", moutai.name());
        assertEquals(10, moutai.bandPercent());
        assertEquals(20, c.get("300750.SZ").bandPercent(), "ChiNext has a ±20% band");
        assertEquals(20, c.get("688981.SH").bandPercent(), "STAR has a ±20% band");
        for (String s : new String[] {"600000.SH", "601318.SH", "000001.SZ", "000858.SZ"}) {
            assertNotNull(c.get(s), s);
        }
        for (Instrument i : c.all()) {
            assertTrue(i.symbol().matches("\\d{6}\\.(SH|SZ)"), i.symbol());
            assertTrue(i.prevClose() > 100 && i.prevClose() < 1_000_000, i.symbol());
        }
    }

    @Test
    void configuredFileReplacesTheDefault(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("u.csv");
        Files.writeString(f, "symbol,name,prev_close\n600000.SH,浦发银行,10.01\n");
        InstrumentCatalog c = UniverseFile.load(f);
        assertEquals(1, c.size());
        assertEquals(1001, c.get("600000.SH").prevClose());
    }

    @Test
    void missingFileFailsNamingIt(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UniverseFile.load(dir.resolve("none.csv")));
        assertTrue(e.getMessage().contains("none.csv"), e.getMessage());
    }

    @Test
    void malformedRowFailsWithFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "symbol,name,prev_close\n600000.SH,x,ten\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UniverseFile.load(f));
        assertTrue(e.getMessage().contains("bad.csv") && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void defaultUniverseCarriesFloatSharesAndEpsForMarketData() {
        InstrumentCatalog c = UniverseFile.load(null);
        for (Instrument i : c.all()) {
            assertTrue(c.profile(i.symbol()).floatShares() > 0, i.symbol());
        }
        assertEquals(6864, c.profile("600519.SH").eps());
        assertEquals(-114, c.profile("601012.SH").eps(), "a loss-making company has a negative EPS");
    }

    @Test
    void floatSharesAndEpsAreOptionalPerRow(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("u.csv");
        Files.writeString(f, "symbol,name,prev_close,float_shares,eps\n600000.SH,a,10.01,1000,0.50\n000001.SZ,b,11.00,,\n");
        InstrumentCatalog c = UniverseFile.load(f);
        assertEquals(new org.opentrade.exchange.domain.InstrumentProfile(1000, 50), c.profile("600000.SH"));
        assertEquals(org.opentrade.exchange.domain.InstrumentProfile.UNKNOWN, c.profile("000001.SZ"));
    }

    @Test
    void badEpsFailsWithLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "symbol,name,prev_close,float_shares,eps\n600000.SH,x,10.00,100,1.234\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UniverseFile.load(f));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("eps"), e.getMessage());
    }
}
