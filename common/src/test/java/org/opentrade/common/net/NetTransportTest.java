package org.opentrade.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

class NetTransportTest {
    @Test
    void autoTakesTheFirstAvailableOfIoUringEpollAndNio() {
        Transport expected = usable(Transport.IO_URING)
                && NetTransport.ringsOutsideMemlock(System.getProperty("os.version")) ? Transport.IO_URING
                : usable(Transport.EPOLL) ? Transport.EPOLL : Transport.NIO;
        assertSame(expected, NetTransport.AUTO.resolve());
        assertSame(Transport.NIO, NetTransport.NIO.resolve());
    }

    @Test
    void aNamedTransportIsTakenExactlyOrStartUpFailsSayingWhy() {
        for (NetTransport named : new NetTransport[] {NetTransport.IO_URING, NetTransport.EPOLL}) {
            Transport vertx = named == NetTransport.IO_URING ? Transport.IO_URING : Transport.EPOLL;
            if (usable(vertx)) {
                assertSame(vertx, named.resolve());
            } else {
                // common's own classpath has no native transport jar: the refusal path.
                IllegalStateException e = assertThrows(IllegalStateException.class, named::resolve);
                assertTrue(e.getMessage().contains(named.name().toLowerCase(java.util.Locale.ROOT))
                        && e.getMessage().contains("auto or nio"),
                        e.getMessage());
            }
        }
        assertEquals(Transport.NIO, NetTransport.NIO.resolve());
    }

    @Test
    void autoLeavesIoUringToKernelsWhoseRingsDoNotCountAgainstTheMemlockLimit() {
        assertTrue(NetTransport.ringsOutsideMemlock("5.12.0"));
        assertTrue(NetTransport.ringsOutsideMemlock("5.15.0-91-generic"));
        assertTrue(NetTransport.ringsOutsideMemlock("6.1.0-18-amd64"));
        assertTrue(NetTransport.ringsOutsideMemlock("10.0.1"));
        assertFalse(NetTransport.ringsOutsideMemlock("5.10.0-28-amd64"));
        assertFalse(NetTransport.ringsOutsideMemlock("5.4.0"));
        assertFalse(NetTransport.ringsOutsideMemlock("4.19.0"));
        assertFalse(NetTransport.ringsOutsideMemlock(""));
        assertFalse(NetTransport.ringsOutsideMemlock("unknown"));
    }

    /** Vert.x leaves a native transport's constant null when Netty's jar for it is absent. */
    private static boolean usable(Transport t) {
        return t != null && t.available();
    }
}
