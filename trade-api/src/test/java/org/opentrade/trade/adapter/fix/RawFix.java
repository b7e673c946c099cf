package org.opentrade.trade.adapter.fix;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A FIX connection over a plain socket, for bytes no engine would send: '|' stands for SOH. */
final class RawFix implements AutoCloseable {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd-HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private final Socket socket;
    private final InputStream in;
    private final StringBuilder pending = new StringBuilder();
    final String sender;
    int seq = 1;

    RawFix(int port, String sender) throws Exception {
        this.socket = new Socket();
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
        this.socket.setSoTimeout(200);
        this.in = socket.getInputStream();
        this.sender = sender;
    }

    /** A complete message of {@code type} with {@code fields} ("55=600000.SH|54=1"), next seq, right length and checksum. */
    String message(String beginString, String type, String fields) {
        String body = "35=" + type + "|34=" + seq + "|49=" + sender + "|56=OPENTRADE|52=" + UTC.format(Instant.now())
                + (fields.isEmpty() ? "" : "|" + fields) + "|";
        body = body.replace('|', '\u0001');
        String head = "8=" + beginString + "\u00019=" + body.getBytes(StandardCharsets.ISO_8859_1).length + "\u0001";
        String m = head + body;
        int sum = 0;
        for (byte b : m.getBytes(StandardCharsets.ISO_8859_1)) {
            sum += b & 0xff;
        }
        return m + "10=" + String.format("%03d", sum % 256) + "\u0001";
    }

    /** Sends a well-formed FIX 4.4 message and counts its seq. */
    void send(String type, String fields) throws Exception {
        write(message("FIX.4.4", type, fields));
        seq++;
    }

    void write(String raw) throws Exception {
        socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** The next message of any type (as text with '|'), within 15 s; null if the peer closed. */
    String nextAny() throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            String m = poll();
            if (m != null) {
                return m;
            }
            if (closed) {
                return null;
            }
        }
        throw new AssertionError("no message within 15 s");
    }

    /** The next message (as text with '|') whose type is {@code type}, within 15 s; null if the peer closed. */
    String next(String type) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            String m = poll();
            if (m != null && m.contains("|35=" + type + "|")) {
                return m;
            }
            if (m == null && closed) {
                return null;
            }
        }
        throw new AssertionError("no message of type " + type + " within 15 s");
    }

    private boolean closed;

    private String poll() throws Exception {
        int end = pending.indexOf("\u000110=");
        if (end >= 0 && pending.indexOf("\u0001", end + 4) >= 0) {
            int stop = pending.indexOf("\u0001", end + 4) + 1;
            String m = pending.substring(0, stop).replace('\u0001', '|');
            pending.delete(0, stop);
            return m;
        }
        byte[] buf = new byte[4096];
        try {
            int n = in.read(buf);
            if (n < 0) {
                closed = true;
                return null;
            }
            pending.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        } catch (SocketTimeoutException idle) {
            return null;
        } catch (java.net.SocketException reset) {
            closed = true;
        }
        return null;
    }

    /** Whether the peer closes the connection within 15 s (messages before that are skipped). */
    boolean closesWithin15s() throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            poll();
            if (closed) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        socket.close();
    }

    static String field(String message, int tag) {
        for (String f : message.split("\\|")) {
            if (f.startsWith(tag + "=")) {
                return f.substring(f.indexOf('=') + 1);
            }
        }
        return null;
    }

}
