package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.model.InstrumentInfo;
import quickfix.Group;
import quickfix.Message;

/**
 * SecurityListRequest (x) → SecurityList (y), compared with the exchange's own universe (asked over
 * the event bus) and with price bands computed here from the reference price and band percent.
 */
class FixSecurityListTest extends FixHarnessTest {
    static Map<String, InstrumentInfo> universe;

    @BeforeAll
    static void loadUniverse() throws Exception {
        JsonObject body = (JsonObject) FixHarness.await(h.vertx.eventBus().request(ExchangeAddresses.INSTRUMENTS,
                new JsonObject())).body();
        universe = new HashMap<>();
        ExchangeJson.universeFromJson(body).instruments().forEach(i -> universe.put(i.symbol(), i));
    }

    /**
     * TradingSessionStatusRequest (g) through QuickFIX/J's dictionaries both ways: the harness's exchange runs the
     * 24×7 calendar, so the session is open, never closes (no open or close time) and its trading day ends at the
     * hour it was given ({@link DayEnds}).
     */
    @Test
    void theTradingSessionStatusOfThe24x7ExchangeIsOpenUntilItsDayEnds() throws Exception {
        try (FixClient c = h.client("dev_ses_status")) {
            quickfix.fix44.TradingSessionStatusRequest g = new quickfix.fix44.TradingSessionStatusRequest();
            g.setString(335, "ses-1");
            g.setChar(263, '1');
            c.send(g);
            Message h1 = c.next("h");
            assertEquals("ses-1", h1.getString(335));
            assertEquals(2, h1.getInt(340), "open");
            assertEquals(2, h1.getInt(339), "simulated");
            assertFalse(h1.isSetField(342) || h1.isSetField(344), "it never opens or closes: " + h1);
            int dayEndHour = java.time.LocalTime.parse(h.setting(DayEnds.ENV)).getHour();
            assertEquals(dayEndHour, h1.getUtcTimeStamp(345).atOffset(java.time.ZoneOffset.UTC)
                    .atZoneSameInstant(java.time.ZoneId.of("Asia/Shanghai")).getHour(), h1.toString());
            g.setString(336, "NIGHT");
            c.send(g);
            assertEquals(1, c.next("h").getInt(567), "unknown TradingSessionID");
        }
    }

    @Test
    void allSecuritiesListsTheWholeUniverseWithLotTickAndBand() throws Exception {
        try (FixClient c = h.client("dev_sl_all")) {
            c.send(FixMessages.securityList("sl-all", 4, null));
            Map<String, Group> listed = new HashMap<>();
            boolean last = false;
            while (!last) {
                Message y = c.next(m -> "y".equals(FixClient.type(m)) && "sl-all".equals(FixMarketDataTest.field(m, 320)),
                        "y sl-all");
                assertEquals(0, y.getInt(560));
                assertEquals(universe.size(), y.getInt(393), "TotNoRelatedSym");
                for (Group g : y.getGroups(146)) {
                    listed.put(g.getString(55), g);
                }
                last = y.getBoolean(893);
            }
            assertEquals(universe.keySet(), listed.keySet());
            for (InstrumentInfo i : universe.values()) {
                assertInstrument(i, listed.get(i.symbol()));
            }
        }
    }

    @Test
    void oneSymbolListsThatInstrumentOnly() throws Exception {
        try (FixClient c = h.client("dev_sl_one")) {
            c.send(FixMessages.securityList("sl-one", 0, "300750.SZ"));
            Message y = c.next("y");
            assertEquals(0, y.getInt(560));
            List<Group> groups = y.getGroups(146);
            assertEquals(1, groups.size());
            assertInstrument(universe.get("300750.SZ"), groups.get(0));
            // ChiNext: a 20 % band around 251.30, rounded half up to the cent
            assertEquals("201.04", groups.get(0).getString(6148));
            assertEquals("301.56", groups.get(0).getString(6149));
        }
    }

    @Test
    void anUnknownSymbolIsAnswered2NoInstrumentsFound() throws Exception {
        try (FixClient c = h.client("dev_sl_unknown")) {
            c.send(FixMessages.securityList("sl-unknown", 0, "999999.SH"));
            Message y = c.next("y");
            assertEquals("sl-unknown", y.getString(320));
            assertEquals(2, y.getInt(560));
            assertFalse(y.hasGroup(146));
        }
    }

    private static void assertInstrument(InstrumentInfo i, Group g) throws Exception {
        assertEquals(Long.toString(i.boardLot()), new BigDecimal(g.getString(561)).toPlainString(), "RoundLot");
        assertEquals(Long.toString(i.boardLot()), new BigDecimal(g.getString(562)).toPlainString(), "MinTradeVol");
        assertEquals(BigDecimal.valueOf(i.tickSize(), 2), new BigDecimal(g.getString(5969)), "tick of " + i.symbol());
        assertTrue(i.bandPercent() > 0, "the sandbox's A-shares have bands");
        BigDecimal ref = BigDecimal.valueOf(i.prevClose(), 2);
        BigDecimal tick = BigDecimal.valueOf(i.tickSize(), 2);
        BigDecimal up = ref.multiply(BigDecimal.valueOf(100 + i.bandPercent())).movePointLeft(2).setScale(2, RoundingMode.HALF_UP);
        BigDecimal down = ref.multiply(BigDecimal.valueOf(100 - i.bandPercent())).movePointLeft(2).setScale(2, RoundingMode.HALF_UP);
        up = up.divide(tick, 0, RoundingMode.FLOOR).multiply(tick);
        down = down.divide(tick, 0, RoundingMode.CEILING).multiply(tick);
        assertEquals(0, down.compareTo(new BigDecimal(g.getString(6148))), "low limit of " + i.symbol());
        assertEquals(0, up.compareTo(new BigDecimal(g.getString(6149))), "high limit of " + i.symbol());
    }
}
