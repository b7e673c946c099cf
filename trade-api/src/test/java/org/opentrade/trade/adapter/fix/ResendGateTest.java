package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ResendGateTest {
    private final AtomicLong now = new AtomicLong(7_000_000_000L);
    private final ResendGate gate = new ResendGate(Duration.ofSeconds(30), now::get);

    @Test
    void aRepeatWithinTheIntervalIsRefusedAndOneAfterItIsAnswered() {
        assertEquals(0, gate.admit(1, 0, 500), "the first: answered");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertEquals(Duration.ofSeconds(20).toNanos(), gate.admit(1, 0, 500), "the same again: refused, 20 s to go");
        assertEquals(Duration.ofSeconds(20).toNanos(), gate.admit(400, 450, 500), "any part of it: refused");
        assertEquals(2, gate.refused());
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        assertEquals(0, gate.admit(1, 0, 500), "the interval over: answered");
        assertTrue(gate.admit(1, 0, 500) > 0, "and the interval starts again");
    }

    @Test
    void numbersNotResentYetAreAlwaysAnswered() {
        assertEquals(0, gate.admit(1, 100, 500), "a chunk");
        assertEquals(0, gate.admit(101, 200, 500), "the next chunk");
        assertEquals(0, gate.admit(201, 0, 500), "the rest");
        assertEquals(500, gate.resentUpTo());
        assertEquals(0, gate.admit(501, 0, 520), "a real gap after the resend: the reports made since");
        assertEquals(0, gate.refused());
    }

    @Test
    void numbersThatStartOverStartTheRecordOver() {
        assertEquals(0, gate.admit(1, 0, 500));
        assertEquals(0, gate.admit(1, 0, 3), "after the daily reset: 1 to 3 are other messages");
        assertEquals(3, gate.resentUpTo());
    }

    @Test
    void anIntervalMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ResendGate(Duration.ZERO, now::get));
    }
}
