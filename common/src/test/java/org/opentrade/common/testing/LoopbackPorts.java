package org.opentrade.common.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free ports on 127.0.0.1 for servers a test starts later (a Hazelcast member, a Redis or Zipkin process).
 * A port the kernel hands out for {@code bind(0)} lies in its ephemeral range (32768-60999 on Linux),
 * which is also where every outgoing connection gets its local port: between choosing such a port and the
 * server binding it, a connection of another member could take it ("Address already in use", seen in
 * CpSeatsIT). These come from below that range, which the kernel never hands out by itself, starting at a
 * random point and going up, so one JVM does not hand the same port twice.
 */
public final class LoopbackPorts {
    /** Lowest port handed out. */
    static final int LOW = 20_000;
    /** One past the highest: the start of Linux's default ephemeral range. */
    static final int HIGH = 32_768;
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(HIGH - LOW));

    private LoopbackPorts() {
    }

    /** A port in [20000, 32768) that nothing listens on right now. */
    public static int free() {
        for (int tries = 0; tries < HIGH - LOW; tries++) {
            int port = LOW + Math.floorMod(NEXT.getAndIncrement(), HIGH - LOW);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                // in use (or in TIME_WAIT): the next one
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 in " + LOW + "-" + (HIGH - 1));
    }
}
