package org.opentrade.bench.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentrade.bench.exchange.EngineMode;
import org.opentrade.bench.exchange.MixedStream;
import org.opentrade.bench.exchange.MixedStreamGenerator;
import org.opentrade.bench.exchange.StreamSpec;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;

class IngestStreamTest {
    @Test
    void keepsEveryEngineEventInSeqOrderRestampedAtTheGivenMarketTimePerCommand() {
        MixedStream mixed = MixedStreamGenerator.generate(EngineMode.RULES, new StreamSpec(11, 2, 20, StreamSpec.BATCH, 500));
        IngestStream s = IngestStream.build(mixed, 2.5);
        ExchangeEvent[] events = s.events();
        long trades = 0;
        for (int i = 0; i < events.length; i++) {
            assertEquals(i + 1, events[i].seq(), "gap-free from 1 on shard 0");
            assertEquals(0, events[i].shard());
            if (i > 0) {
                long step = events[i].timestamp() - events[i - 1].timestamp();
                assertTrue(step == 0 || step == 2 || step == 3, "2.5 ms per command, floored: " + step);
            }
            if (i >= s.measuredFrom() && events[i].type() == EventType.TRADE) {
                trades++;
            }
        }
        assertEquals(s.measuredTrades(), trades);
        int commands = mixed.warmup().length + mixed.commands().length;
        assertEquals((long) Math.floor((commands - 1) * 2.5), events[events.length - 1].timestamp() - events[0].timestamp(),
                "the last command is (commands - 1) x 2.5 ms after the first");
        assertEquals(2, s.instruments().size());
    }
}
