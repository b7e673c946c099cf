package org.opentrade.gateway.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client on a plain socket, for tests that must send what a well-behaved client never would (floods of
 * pings, broken frames) and read exactly what comes back.
 */
public final class RawWebSocket {
    private RawWebSocket() {
    }

    /** Sends the upgrade of {@code /v1/stream/market} on {@code socket} and asserts the 101 (headers returned). */
    public static String upgrade(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET /v1/stream/market HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the connection ended inside the upgrade answer: " + head);
            head.append((char) b);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
        return head.toString();
    }

    /** {@code count} masked pings of 125 bytes each (mask key 0), back to back. */
    public static byte[] pings(int count) {
        byte[] ping = new byte[2 + 4 + 125];
        ping[0] = (byte) 0x89; // FIN, ping
        ping[1] = (byte) (0x80 | 125); // masked, 125 bytes
        byte[] batch = new byte[ping.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(ping, 0, batch, i * ping.length, ping.length);
        }
        return batch;
    }

    /**
     * Starts a daemon thread writing {@code batch} to {@code out} {@code times} times (its writes block once the
     * peer stops reading); it ends quietly when the socket is closed.
     */
    public static Thread pinger(OutputStream out, byte[] batch, int times) {
        return pinger(out, batch, times, new java.util.concurrent.atomic.AtomicInteger());
    }

    /** As {@link #pinger(OutputStream, byte[], int)}, counting the batches written in {@code written}. */
    public static Thread pinger(OutputStream out, byte[] batch, int times,
                                java.util.concurrent.atomic.AtomicInteger written) {
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < times; i++) {
                    out.write(batch);
                    written.incrementAndGet();
                }
            } catch (IOException closed) {
                // the server, or the test's end, closed the socket
            }
        }, "pinger");
        writer.setDaemon(true);
        writer.start();
        return writer;
    }

    /**
     * Returns once {@code writer} has ended, or has written no batch for {@code quiet} (the server stopped
     * reading: the socket buffers are full), or after {@code max}, whichever comes first.
     */
    public static void awaitStalled(Thread writer, java.util.concurrent.atomic.AtomicInteger written,
                                    java.time.Duration quiet, java.time.Duration max) throws InterruptedException {
        long start = System.nanoTime();
        long lastChange = start;
        int last = written.get();
        while (writer.isAlive()) {
            long now = System.nanoTime();
            int seen = written.get();
            if (seen != last) {
                last = seen;
                lastChange = now;
            } else if (now - lastChange >= quiet.toNanos()) {
                return;
            }
            if (now - start >= max.toNanos()) {
                return;
            }
            writer.join(50); // polling the writer's progress
        }
    }
}
