package org.opentrade.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoopAdmissionTest {
    private static final long MS = 1_000_000L;
    private static final long WINDOW = 100 * MS;

    /** A driven loop: {@code perWindow} low-priority requests evenly spread over each window, the CPU used as given. */
    private static final class Loop {
        final LoopAdmission admission = new LoopAdmission(0.95, 0.85, WINDOW);
        long now = 1_000 * MS;
        long cpu;
        int admitted;
        int refused;

        Loop() {
            admission.sample(now, cpu);
        }

        void window(int perWindow, double utilization) {
            admitted = 0;
            refused = 0;
            for (int i = 0; i < perWindow; i++) {
                now += WINDOW / perWindow;
                if (admission.admit(false, now)) {
                    admitted++;
                } else {
                    refused++;
                }
            }
            cpu += (long) (WINDOW * utilization);
            admission.sample(now, cpu);
        }
    }

    @Test
    void aLoopBelowItsBoundAdmitsEverything() {
        Loop loop = new Loop();
        for (int w = 0; w < 20; w++) {
            loop.window(1_000, 0.90);
            assertEquals(0, loop.refused);
        }
        assertEquals(Double.POSITIVE_INFINITY, loop.admission.cap());
        assertEquals(0.90, loop.admission.utilization(), 1e-9);
    }

    @Test
    void aSaturatedLoopCapsLowPriorityBelowWhatItAdmittedAndKeepsLoweringWhileSaturated() {
        Loop loop = new Loop();
        loop.window(2_000, 1.0); // 20 000 a second admitted, the loop saturated
        assertEquals(18_000, loop.admission.cap(), 1.0);
        loop.window(2_000, 1.0);
        assertTrue(loop.refused > 150, "about a tenth refused: " + loop.refused);
        assertTrue(loop.admitted <= 1_800 + 2, "at most the cap (and its burst): " + loop.admitted);
        assertEquals(0.9 * loop.admitted * 10, loop.admission.cap(), 10.0, "lowered again from what it admitted");
        loop.window(2_000, 0.90); // between the bounds: the cap holds
        double held = loop.admission.cap();
        loop.window(2_000, 0.90);
        assertEquals(held, loop.admission.cap());
    }

    @Test
    void ordersAndCancelsAreNeverRefusedHere() {
        Loop loop = new Loop();
        loop.window(2_000, 1.0);
        loop.window(2_000, 1.0);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(loop.admission.admit(true, loop.now));
        }
        assertFalse(loop.admission.admit(false, loop.now), "the tokens are spent by the low-priority requests");
    }

    @Test
    void theCapRisesWhileRequestsAreRefusedAndTheLoopHasRoomAndIsLiftedOnceNothingIsRefused() {
        Loop loop = new Loop();
        loop.window(2_000, 1.0);
        double capped = loop.admission.cap();
        loop.window(2_000, 0.5);
        assertTrue(loop.refused > 0);
        assertEquals(capped * 1.1, loop.admission.cap(), 1e-6);
        loop.window(200, 0.3); // the load fell to 2 000 a second: under the cap, nothing refused
        assertEquals(0, loop.refused);
        assertEquals(Double.POSITIVE_INFINITY, loop.admission.cap(), "lifted once nothing is refused");
    }

    @Test
    void theCapNeverFallsUnderTheFloor() {
        Loop loop = new Loop();
        loop.window(2_000, 1.0);
        for (int w = 0; w < 100; w++) {
            loop.window(20, 1.0); // the requests fell away but the loop stays saturated by other work
        }
        assertEquals(LoopAdmission.FLOOR_PER_SECOND, loop.admission.cap(), 1e-9);
    }

    @Test
    void aLoopSaturatedByOtherWorkThanFewRequestsIsNotCapped() {
        Loop loop = new Loop();
        for (int w = 0; w < 10; w++) {
            loop.window(50, 1.0); // 500 requests a second on a loop busy with something else
            assertEquals(0, loop.refused);
        }
        assertEquals(Double.POSITIVE_INFINITY, loop.admission.cap());
    }

    @Test
    void badBoundsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LoopAdmission(0.8, 0.9, WINDOW));
        assertThrows(IllegalArgumentException.class, () -> new LoopAdmission(0.95, 0.85, 0));
    }
}
