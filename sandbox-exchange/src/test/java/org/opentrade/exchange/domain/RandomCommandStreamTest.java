package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.AShareCalendar;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.TimeInForce;

/** The generator other tests rely on: deterministic per seed, and it produces every kind of command. */
class RandomCommandStreamTest {

    @Test
    void sameSeedGivesTheSameCommandsAndAnotherSeedDoesNot() {
        List<Command> a = RandomCommandStream.pure(5).take(5_000);
        assertEquals(a, RandomCommandStream.pure(5).take(5_000));
        assertNotEquals(a, RandomCommandStream.pure(6).take(5_000));
    }

    @Test
    void rulesStreamProducesEveryCommandTypeOrderTypeAndTimeInForce() {
        RandomCommandStream s = new RandomCommandStream(3,
                RandomCommandStream.rulesOptions(TestInstruments.catalog(), 0, 1_000));
        Set<CommandType> commands = EnumSet.noneOf(CommandType.class);
        Set<OrderType> types = EnumSet.noneOf(OrderType.class);
        Set<TimeInForce> tifs = EnumSet.noneOf(TimeInForce.class);
        long lastTs = Long.MIN_VALUE;
        for (Command c : s.take(20_000)) {
            commands.add(c.type());
            if (c.type() == CommandType.NEW_ORDER) {
                types.add(c.orderType());
                tifs.add(c.tif());
            }
            assertTrue(c.timestamp() >= lastTs, "time never runs backwards");
            lastTs = c.timestamp();
        }
        assertEquals(EnumSet.allOf(CommandType.class), commands);
        assertEquals(EnumSet.allOf(OrderType.class), types);
        assertEquals(EnumSet.allOf(TimeInForce.class), tifs);
        assertEquals(20_000, s.generated());
    }

    @Test
    void activeWindowKeepsEveryTimestampInsideTheWindow() {
        RandomCommandStream s = new RandomCommandStream(3,
                RandomCommandStream.rulesOptions(TestInstruments.catalog(), 0, 60_000)
                        .withActiveWindow(LocalTime.of(9, 10), LocalTime.of(15, 5), AShareCalendar.ZONE));
        for (Command c : s.take(10_000)) {
            LocalTime t = Instant.ofEpochMilli(c.timestamp()).atZone(AShareCalendar.ZONE).toLocalTime();
            assertTrue(!t.isBefore(LocalTime.of(9, 10)) && t.isBefore(LocalTime.of(15, 5)), "at " + t);
        }
    }

    @Test
    void pricesOfEachSymbolStayOnItsTickExceptTheDeliberateFewOffIt() {
        RandomCommandStream s = new RandomCommandStream(11,
                RandomCommandStream.rulesOptions(TestInstruments.catalog(), 0, 1_000));
        int onTick = 0;
        int offTick = 0;
        for (Command c : s.take(50_000)) {
            if (TestInstruments.TICK5.equals(c.symbol()) && c.type() == CommandType.NEW_ORDER
                    && c.orderType() == OrderType.LIMIT) {
                if (c.price() % 5 == 0) {
                    onTick++;
                } else {
                    offTick++;
                }
            }
        }
        assertTrue(offTick > 0 && offTick * 50 < onTick, onTick + " on the tick, " + offTick + " off");
    }
}
