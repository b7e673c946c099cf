package org.opentrade.sdk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of the all-in-one, to break what a network breaks: {@link #cutAll()}
 * drops every open connection at once (a lost network mid-stream), and {@link #stallFirstAnswerTo}
 * holds back the answer to the first request that starts with a given line (a response lost in
 * transit after the server acted). Plain threads, test use only.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile String stallRequestLine;
    private volatile long stallMillis;
    private final AtomicBoolean stalled = new AtomicBoolean();

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Holds the answer to the first request whose bytes start with {@code requestLinePrefix} for {@code millis}. */
    public void stallFirstAnswerTo(String requestLinePrefix, long millis) {
        this.stallMillis = millis;
        this.stallRequestLine = requestLinePrefix;
    }

    /** Whether a stall has happened. */
    public boolean hasStalled() {
        return stalled.get();
    }

    /** Drops every open connection, both sides. */
    public void cutAll() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                accepted.incrementAndGet();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                AtomicBoolean holdAnswers = new AtomicBoolean();
                pump(client, upstream, holdAnswers, true);
                pump(upstream, client, holdAnswers, false);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicBoolean holdAnswers, boolean requests) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    String line = stallRequestLine;
                    if (requests && line != null && !stalled.get()
                            && new String(buf, 0, Math.min(n, 256), StandardCharsets.ISO_8859_1).startsWith(line)
                            && stalled.compareAndSet(false, true)) {
                        holdAnswers.set(true);
                    }
                    if (!requests && holdAnswers.getAndSet(false)) {
                        Thread.sleep(stallMillis); // the stall being simulated: the answer is late
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // a cut or a close: the other direction notices on its own
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutAll();
    }
}
