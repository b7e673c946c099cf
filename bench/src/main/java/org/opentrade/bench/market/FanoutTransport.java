package org.opentrade.bench.market;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;

/**
 * The Netty transport of the fan-out bench's Vert.x instances: {@code -Dopentrade.bench.transport=io_uring}
 * (Netty's io_uring: the writes of one event-loop turn go to the kernel in one submission) or the default,
 * the native epoll transport the services run on. Fails when io_uring is asked for and not available.
 */
final class FanoutTransport {
    static final String PROPERTY = "opentrade.bench.transport";

    private FanoutTransport() {
    }

    static Vertx vertx(VertxOptions options) {
        String name = System.getProperty(PROPERTY, "native");
        if (!"io_uring".equals(name)) {
            return Vertx.vertx(options.setPreferNativeTransport(true));
        }
        if (!Transport.IO_URING.available()) {
            throw new IllegalStateException("io_uring asked for but not available", Transport.IO_URING.unavailabilityCause());
        }
        return Vertx.builder().with(options).withTransport(Transport.IO_URING).build();
    }

    /** What the instance runs on, for the logs. */
    static String describe(Vertx vertx) {
        return System.getProperty(PROPERTY, "native") + (vertx.isNativeTransportEnabled() ? " (native)" : " (NIO)");
    }
}
