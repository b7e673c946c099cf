package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the FIX port holds for callers that never log on (FixConnectionGuard): at most 6 connections,
 * 3 per address, each logged on within 3 s, 3 refused Logons per address a minute here; and what they
 * can make it log.
 */
class FixConnectionLimitsTest {
    @TempDir
    static Path dir;
    static FixHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = FixHarness.start(dir, Map.of("OPENTRADE_TRADE_FIX_MAX_CONNECTIONS", "6",
                "OPENTRADE_TRADE_FIX_MAX_CONNECTIONS_PER_ADDRESS", "3", "OPENTRADE_TRADE_FIX_LOGON_WITHIN", "3s",
                "OPENTRADE_TRADE_FIX_REFUSED_LOGONS_PER_ADDRESS_PER_MINUTE", "3"));
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    @BeforeEach
    void noConnectionLeftFromTheTestBefore() throws Exception {
        FixHarness.until(() -> h.trade.fixAcceptor().connectionsNow() == 0, 10);
    }

    /**
     * A connection from {@code local} that the acceptor counts as its {@code nth} open one: MINA spreads
     * connections over several I/O threads, so without waiting a later one may be counted first.
     */
    private static Socket connectAs(String local, int nth) throws Exception {
        Socket s = connect(local);
        FixHarness.until(() -> h.trade.fixAcceptor().connectionsNow() == nth, 10);
        return s;
    }

    /** A TCP connection from {@code local} (any 127.x address reaches the acceptor on 127.0.0.1). */
    private static Socket connect(String local) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(local, 0));
        s.connect(new InetSocketAddress("127.0.0.1", h.fixPort), 5_000);
        return s;
    }

    /** Whether the acceptor closes {@code s} within {@code millis}. */
    private static boolean closedWithin(Socket s, long millis) throws Exception {
        s.setSoTimeout(50);
        InputStream in = s.getInputStream();
        long deadline = System.nanoTime() + millis * 1_000_000;
        byte[] buf = new byte[1024];
        while (System.nanoTime() < deadline) {
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException idle) {
                // still open
            } catch (java.net.SocketException reset) {
                return true;
            }
        }
        return false;
    }

    private static void closeAll(List<Socket> sockets) throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        FixHarness.until(() -> h.trade.fixAcceptor().connectionsNow() == 0, 10);
    }

    @Test
    void aConnectionPastTheAddressLimitOrTheTotalIsClosedAtOnce() throws Exception {
        List<Socket> held = new ArrayList<>();
        Map<String, Long> before = h.trade.fixAcceptor().refusedConnections();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(connectAs("127.0.0.1", i + 1));
            }
            Socket fourth = connect("127.0.0.1");
            assertTrue(closedWithin(fourth, 500), "the address's fourth connection is closed at once");
            FixHarness.until(() -> h.trade.fixAcceptor().connectionsNow() == 3, 10);
            fourth.close();
            held.add(connectAs("127.0.0.2", 4));
            held.add(connectAs("127.0.0.2", 5));
            held.add(connectAs("127.0.0.3", 6));
            Socket seventh = connect("127.0.0.4");
            assertTrue(closedWithin(seventh, 500), "the seventh connection is closed: 6 is the limit");
            seventh.close();
            for (Socket s : held) {
                assertFalse(closedWithin(s, 50), "the six within the limits stay (until their logon deadline)");
            }
            Map<String, Long> after = h.trade.fixAcceptor().refusedConnections();
            assertEquals(before.get("per_address") + 1, after.get("per_address"));
            assertEquals(before.get("connections") + 1, after.get("connections"));
        } finally {
            closeAll(held);
        }
        Socket again = connect("127.0.0.1");
        assertFalse(closedWithin(again, 300), "closed connections give their places back");
        again.close();
    }

    @Test
    void aConnectionThatNeverLogsOnIsClosedAtItsDeadlineWhileALoggedOnSessionStays() throws Exception {
        long before = h.trade.fixAcceptor().refusedConnections().get("no_logon");
        try (FixClient client = h.client("dev_stays")) {
            Socket idle = connect("127.0.0.5");
            Socket garbage = connect("127.0.0.5");
            garbage.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long opened = System.nanoTime();
            assertTrue(closedWithin(idle, 8_000), "an idle connection is closed at its 3 s deadline");
            assertTrue(System.nanoTime() - opened > 2_000_000_000L, "not before it");
            assertTrue(closedWithin(garbage, 8_000), "so is one that sends no FIX");
            idle.close();
            garbage.close();
            Thread.sleep(1_500);
            assertTrue(client.isLoggedOn(), "the logged-on session is past its deadline and stays");
            assertEquals(before + 2, h.trade.fixAcceptor().refusedConnections().get("no_logon"));
        }
    }

    /**
     * QuickFIX/J's decoder holds whatever BodyLength announces until that many bytes arrive: one connection that
     * never logged on made it hold 150 MiB in 10 s. A message past the bound closes its connection at once.
     */
    @Test
    void aMessageLongerThanTheBoundClosesItsConnection() throws Exception {
        long before = h.trade.fixAcceptor().refusedConnections().get("too_large");
        try (Socket s = connect("127.0.0.9")) {
            OutputStream out = s.getOutputStream();
            out.write("8=FIX.4.4|9=900000000|35=A|49=BIG|56=OPENTRADE|34=1|58=".replace('|', '\u0001')
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] filler = new byte[8 * 1024];
            java.util.Arrays.fill(filler, (byte) 'y');
            try {
                for (int i = 0; i < 16; i++) { // 128 KiB: twice the bound
                    out.write(filler);
                }
                out.flush();
            } catch (java.io.IOException closedWhileWriting) {
                // the acceptor closed the connection before the rest was written: what this test wants
            }
            assertTrue(closedWithin(s, 1_500), "closed well before its 3 s logon deadline");
        }
        FixHarness.until(() -> h.trade.fixAcceptor().refusedConnections().get("too_large") == before + 1, 10);
    }

    /**
     * QuickFIX/J's decoder writes a SEVERE line for each frame whose length or checksum it cannot find, before
     * any Logon: 300 such frames on one connection wrote 300 lines. The decoder's logger has the budget too.
     */
    @Test
    void malformedFramesCannotFloodTheLog() throws Exception {
        Logger decoder = Logger.getLogger("quickfix.mina.message.FIXMessageDecoder");
        LogLines capture = LogLines.of(decoder);
        try {
            String bad = "8=FIX.4.4|9=5|35=0|49=X|56=OPENTRADE|34=1|52=20261205-00:00:00|10=000|".replace('|', '\u0001');
            FixHarness.until(() -> h.trade.fixAcceptor().connectionsNow() == 0, 10);
            try (Socket s = connect("127.0.0.7")) {
                for (int i = 0; i < 300; i++) {
                    s.getOutputStream().write(bad.getBytes(StandardCharsets.ISO_8859_1));
                }
                s.getOutputStream().flush();
                closedWithin(s, 3_000); // read what the acceptor does with them, if anything
            }
            FixHarness.until(() -> h.trade.fixAcceptor().connectionsNow() == 0, 15);
            assertTrue(capture.lines.size() > 0, "the decoder did log these frames");
            assertTrue(capture.lines.size() <= 100, "at most the budget of 50 lines in each 10 s window, got "
                    + capture.lines.size());
        } finally {
            capture.close();
        }
    }

    @Test
    void connectionsAndUnknownSessionsCannotFloodTheLog() throws Exception {
        Logger quickfix = Logger.getLogger("quickfix.mina.acceptor.AcceptorIoHandler");
        LogLines capture = LogLines.of(quickfix);
        List<String> lines = capture.lines;
        try {
            String logon = "8=FIX.4.4|9=5|35=A|10=000|".replace('|', '\u0001');
            for (int i = 0; i < 300; i++) {
                // One at a time, each seen by QuickFIX/J (it closes the connection: a message of no session).
                FixHarness.until(() -> h.trade.fixAcceptor().connectionsNow() == 0, 10);
                try (Socket s = connect("127.0.0.6")) {
                    s.getOutputStream().write((logon + "\n2026-12-05 05:50:00.000 SEVERE forged").getBytes(
                            StandardCharsets.ISO_8859_1));
                    assertTrue(closedWithin(s, 5_000), "QuickFIX/J closes a connection for no session");
                }
            }
            FixHarness.until(() -> h.trade.fixAcceptor().connectionsNow() == 0, 10);
            // 50 lines per 10 s window; the window may have begun in an earlier test class (this JVM's acceptor
            // loggers are static), so these 300 connections (under a second) can meet two windows: at most 100.
            // Without the budget they write 600.
            assertTrue(lines.size() <= 100, "at most the budget of 50 lines in each 10 s window, got " + lines.size());
            assertTrue(lines.stream().noneMatch(l -> l.contains("forged")), "the caller's bytes are not logged");
        } finally {
            capture.close();
        }
    }

    @Test
    void anIpv6SubscriberIsOneAddressPerSlash64() throws Exception {
        java.net.InetAddress a = java.net.InetAddress.getByName("2001:db8:1:2:aaaa::1");
        java.net.InetAddress b = java.net.InetAddress.getByName("2001:db8:1:2:bbbb::2");
        java.net.InetAddress other = java.net.InetAddress.getByName("2001:db8:1:3::1");
        assertEquals(FixConnectionGuard.bucketOf(a), FixConnectionGuard.bucketOf(b));
        assertFalse(FixConnectionGuard.bucketOf(a).equals(FixConnectionGuard.bucketOf(other)));
        java.net.InetAddress v4 = java.net.InetAddress.getByName("192.0.2.7");
        assertEquals(v4, FixConnectionGuard.bucketOf(v4));
    }

    @Test
    void anAddressWithItsRefusedLogonsForTheMinuteIsClosedAtOnceWhileOthersLogOn() throws Exception {
        long before = h.trade.fixAcceptor().refusedConnections().get("logons");
        for (int i = 0; i < 3; i++) {
            try (Socket s = connect("127.0.0.9")) {
                s.getOutputStream().write(rawLogon("GUESS" + i, "key_nobody", "wrong").getBytes(StandardCharsets.ISO_8859_1));
                assertTrue(closedWithin(s, 5_000), "a refused Logon ends its connection");
            }
        }
        FixHarness.until(() -> h.trade.fixAcceptor().connectionsNow() == 0, 10);
        Socket fourth = connect("127.0.0.9");
        assertTrue(closedWithin(fourth, 500), "the address's connections are closed at once for the minute");
        fourth.close();
        assertEquals(before + 1, h.trade.fixAcceptor().refusedConnections().get("logons"));
        try (FixClient other = h.client("dev_other_address")) { // from 127.0.0.1
            assertTrue(other.isLoggedOn(), "another address logs on");
        }
    }

    /** A Logon (seq 1) as raw FIX from {@code sender} with {@code key} and {@code secret}. */
    private static String rawLogon(String sender, String key, String secret) {
        String now = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss.SSS")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()); // QuickFIX/J checks SendingTime
        String body = ("35=A|34=1|49=" + sender + "|56=OPENTRADE|52=" + now + "|98=0|108=30|553=" + key
                + "|554=" + secret + "|").replace('|', '\u0001');
        String head = "8=FIX.4.4\u00019=" + body.length() + "\u0001";
        int sum = 0;
        for (char c : (head + body).toCharArray()) {
            sum += c;
        }
        return head + body + "10=" + String.format("%03d", sum % 256) + "\u0001";
    }
}
