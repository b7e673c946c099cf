package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.DummySession;
import org.junit.jupiter.api.Test;

/**
 * The FIX port's bound on one inbound message ({@link FixConnectionGuard#withinMessageSize}): counted from the
 * end of the message before to the CheckSum field, across however the bytes are split into reads.
 */
class FixMessageSizeTest {
    private static final int MAX = FixConnectionGuard.MAX_MESSAGE_BYTES;

    private static IoBuffer bytes(String s) {
        return IoBuffer.wrap(s.replace('|', '\u0001').getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String message(int textChars) {
        return "8=FIX.4.4|9=99|35=1|49=A|56=OPENTRADE|34=2|112=" + "t".repeat(textChars) + "|10=123|";
    }

    @Test
    void manyMessagesTogetherFarPastTheBoundPass() {
        DummySession socket = new DummySession();
        String one = message(1_000);
        for (int i = 0; i < 5 * MAX / one.length(); i++) {
            assertTrue(FixConnectionGuard.withinMessageSize(socket, bytes(one)), "message " + i);
        }
    }

    @Test
    void oneMessagePastTheBoundIsRefusedEvenInSmallReads() {
        DummySession socket = new DummySession();
        String big = message(MAX);
        boolean within = true;
        for (int at = 0; at < big.length() && within; at += 1_000) {
            within = FixConnectionGuard.withinMessageSize(socket, bytes(big.substring(at, Math.min(big.length(), at + 1_000))));
        }
        assertFalse(within);
    }

    @Test
    void aMessageAtTheBoundPassesWhenItsCheckSumIsSplitAcrossReads() {
        DummySession socket = new DummySession();
        String head = "8=FIX.4.4|9=99|35=1|49=A|56=OPENTRADE|34=2|112=";
        // MAX bytes up to the CheckSum's "=": MAX - 3, then "|1" in one read and "0=123|" in the next
        assertTrue(FixConnectionGuard.withinMessageSize(socket, bytes(head + "t".repeat(MAX - 3 - head.length()))));
        assertTrue(FixConnectionGuard.withinMessageSize(socket, bytes("|1")), "the CheckSum's start is not past it");
        assertTrue(FixConnectionGuard.withinMessageSize(socket, bytes("0=123|")), "its \"=\" ends the count");
        for (int i = 0; i < 3; i++) {
            assertTrue(FixConnectionGuard.withinMessageSize(socket, bytes(message(MAX / 2))), "the next ones count afresh");
        }
    }

    @Test
    void oneByteMoreBeforeTheCheckSumIsPastTheBound() {
        DummySession socket = new DummySession();
        String head = "8=FIX.4.4|9=99|35=1|49=A|56=OPENTRADE|34=2|112=";
        assertTrue(FixConnectionGuard.withinMessageSize(socket, bytes(head + "t".repeat(MAX - 2 - head.length()))));
        assertFalse(FixConnectionGuard.withinMessageSize(socket, bytes("|10=123|")));
    }

    @Test
    void bytesWithoutAnyCheckSumArePastTheBoundOnceTheyExceedIt() {
        DummySession socket = new DummySession();
        assertTrue(FixConnectionGuard.withinMessageSize(socket, IoBuffer.wrap(new byte[MAX])));
        assertFalse(FixConnectionGuard.withinMessageSize(socket, IoBuffer.wrap(new byte[1])));
    }
}
