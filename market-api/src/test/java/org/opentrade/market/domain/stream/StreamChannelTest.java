package org.opentrade.market.domain.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentrade.market.domain.Interval;

class StreamChannelTest {

    @Test
    void parsesTheFourKinds() {
        assertEquals(Optional.of(new StreamChannel(StreamChannel.Kind.TRADES, null, "600000.SH")),
                StreamChannel.parse("trades:600000.SH"));
        assertEquals(Optional.of(new StreamChannel(StreamChannel.Kind.QUOTES, null, "600000.SH")),
                StreamChannel.parse("quotes:600000.SH"));
        assertEquals(Optional.of(new StreamChannel(StreamChannel.Kind.DEPTH, null, "000001.SZ")),
                StreamChannel.parse("depth:000001.SZ"));
        assertEquals(Optional.of(new StreamChannel(StreamChannel.Kind.KLINES, Interval.MN1, "600000.SH")),
                StreamChannel.parse("klines:1M:600000.SH"));
        assertEquals("klines:1m:600000.SH", StreamChannel.parse("klines:1m:600000.SH").orElseThrow().name());
    }

    @Test
    void refusesMalformedNames() {
        for (String bad : new String[] {"", "trades", "trades:", "Trades:600000.SH", "trades:600000.sh",
                "klines:600000.SH", "klines:2m:600000.SH", "klines:1m:", "quotes:600000.SH:x", "orders",
                "trades: 600000.SH", "trades:" + "1".repeat(80)}) {
            assertTrue(StreamChannel.parse(bad).isEmpty(), bad);
        }
    }

    @Test
    void checkNamesTheProblem() {
        Set<String> symbols = Set.of("600000.SH");
        assertEquals(Optional.empty(), StreamChannel.check("depth:600000.SH", symbols::contains));
        assertEquals(Optional.of("unknown symbol in channel 'depth:600001.SH'"),
                StreamChannel.check("depth:600001.SH", symbols::contains));
        assertTrue(StreamChannel.check("klines:7m:600000.SH", symbols::contains).orElseThrow()
                .startsWith("unknown channel 'klines:7m:600000.SH': expected trades:<symbol>"));
    }
}
