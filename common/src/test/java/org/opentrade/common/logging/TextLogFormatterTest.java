package org.opentrade.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class TextLogFormatterTest {
    private static final String PATTERN = "%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n";
    private static final String FORGED = "2026-12-05 05:50:00.000 SEVERE org.opentrade.Admin - forged line";
    private final TextLogFormatter f = new TextLogFormatter(PATTERN);

    private static LogRecord record(String message) {
        LogRecord r = new LogRecord(Level.SEVERE, message);
        r.setLoggerName("quickfix.mina.acceptor.AcceptorIoHandler");
        r.setInstant(Instant.parse("2026-12-02T14:05:06.789Z"));
        return r;
    }

    private static String[] lines(String formatted) {
        return formatted.split(System.lineSeparator());
    }

    @Test
    void anOrdinaryRecordIsTheUsualLine() {
        String line = f.format(record("Disconnecting; received message for unknown session: 8=FIX.4.4"));
        assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.789 SEVERE "
                + "quickfix\\.mina\\.acceptor\\.AcceptorIoHandler - Disconnecting; received message for unknown "
                + "session: 8=FIX\\.4\\.4" + System.lineSeparator()), line);
    }

    @Test
    void aLineBreakInTheMessageCannotStartARecordOfItsOwn() {
        String out = f.format(record("unknown session: 49=X\n" + FORGED + "\r\n"));
        assertEquals(1, lines(out).length, out);
        assertTrue(out.contains("49=X\\n" + FORGED + "\\r\\n"), out);
    }

    @Test
    void controlAndDirectionCharactersAreWrittenAsEscapes() {
        String out = f.format(record("a\u0001b\u001b[2Jc\u202egnp.exe\u0085d\u2028e\tf"));
        assertTrue(out.contains("a\\u0001b\\u001b[2Jc\\u202egnp.exe\\u0085d\\u2028e\tf"), out);
    }

    @Test
    void parametersAreEscapedToo() {
        LogRecord r = record("session {0} refused");
        r.setParameters(new Object[] {"X\n" + FORGED});
        assertEquals(1, lines(f.format(r)).length);
    }

    @Test
    void aStackTraceKeepsItsLinesButEachStartsWithATab() {
        LogRecord r = record("could not parse");
        r.setThrown(new IllegalArgumentException("bad value 'x\n" + FORGED + "'", new IllegalStateException("cause")));
        String[] lines = lines(f.format(r));
        assertTrue(lines.length > 3, String.join("\n", lines));
        assertTrue(lines[0].endsWith(" - could not parse"), lines[0]);
        for (int i = 1; i < lines.length; i++) {
            assertTrue(lines[i].startsWith("\t"), "line " + i + ": " + lines[i]);
        }
        assertEquals("\tjava.lang.IllegalArgumentException: bad value 'x", lines[1]);
        assertEquals("\t" + FORGED + "'", lines[2]);
        assertTrue(lines[3].startsWith("\tat "), lines[3]);
        assertTrue(java.util.Arrays.stream(lines).anyMatch(l -> l.startsWith("\tCaused by: java.lang.IllegalStateException: cause")));
    }

    @Test
    void escapedLeavesSafeTextAlone() {
        String safe = "order o-1 (A股 600000.SH) refused: \\n is two characters";
        assertTrue(safe == TextLogFormatter.escaped(safe));
        assertFalse(TextLogFormatter.escaped("a\nb").contains("\n"));
        assertEquals("null", TextLogFormatter.escaped(null));
    }
}
