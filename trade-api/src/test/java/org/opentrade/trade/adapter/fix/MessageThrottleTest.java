package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MessageThrottleTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final MessageThrottle throttle = new MessageThrottle(10, now::get);

    private MessageThrottle.Verdict[] take(int n) {
        MessageThrottle.Verdict[] out = new MessageThrottle.Verdict[n];
        for (int i = 0; i < n; i++) {
            out[i] = throttle.take();
        }
        return out;
    }

    @Test
    void aBurstOfTwiceTheRatePassesThenMessagesAreRefusedThenTheSessionIsLoggedOut() {
        for (MessageThrottle.Verdict v : take(20)) {
            assertEquals(MessageThrottle.Verdict.PASS, v);
        }
        for (MessageThrottle.Verdict v : take(10)) {
            assertEquals(MessageThrottle.Verdict.REFUSE, v, "the rate's worth of refusals within a second");
        }
        assertEquals(MessageThrottle.Verdict.LOG_OUT, throttle.take(), "one more: not slowing down");
        now.addAndGet(10_000_000_000L);
        assertEquals(MessageThrottle.Verdict.DROP, throttle.take(), "logged out once; the rest is dropped");
    }

    @Test
    void aClientAtTheRateIsNeverRefusedAndOneThatPausesGetsItsBurstBack() {
        for (int i = 0; i < 1_000; i++) {
            now.addAndGet(100_000_000L); // 10 a second
            assertEquals(MessageThrottle.Verdict.PASS, throttle.take(), "message " + i);
        }
        take(20);
        assertEquals(MessageThrottle.Verdict.REFUSE, throttle.take());
        now.addAndGet(2_000_000_000L);
        for (MessageThrottle.Verdict v : take(20)) {
            assertEquals(MessageThrottle.Verdict.PASS, v, "two quiet seconds refill the burst");
        }
    }

    @Test
    void refusalsSpreadOverSecondsDoNotLogOut() {
        take(20);
        for (int second = 0; second < 5; second++) {
            for (int i = 0; i < 10; i++) {
                assertEquals(MessageThrottle.Verdict.REFUSE, throttle.take());
            }
            now.addAndGet(1_000_000_000L);
            take(10); // the second's refill, used up at once
        }
        assertThrows(IllegalArgumentException.class, () -> new MessageThrottle(0, now::get));
    }
}
