package org.opentrade.common.net;

import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.Locale;

/**
 * The Netty transport a process's Vert.x runs on, as a config value ({@code auto}, {@code io_uring},
 * {@code epoll}, {@code nio}) resolved once at start-up.
 *
 * <p>{@link #AUTO} takes io_uring where the kernel allows it (Linux 5.12 or later, not disabled by
 * {@code kernel.io_uring_disabled} or a container's seccomp profile), else epoll, else the JDK's NIO:
 * on a proxy that does four socket calls per request, io_uring submits one event-loop turn's reads and
 * writes together and cut the gateway's CPU per request by about a third on this project's bench
 * ({@code bench/README.md}). A named transport is taken exactly, and start-up fails when it is not
 * available, with the kernel's or Netty's reason.
 */
public enum NetTransport {
    AUTO, IO_URING, EPOLL, NIO;

    /**
     * The Vert.x transport this value names; for {@link #AUTO} the first available of io_uring, epoll
     * and NIO. (Vert.x's constant for a native transport is null when Netty's jar for it is not on the
     * class path: not available.)
     *
     * @throws IllegalStateException when a named native transport is not available here
     */
    public Transport resolve() {
        if (this == AUTO) {
            for (NetTransport t : List.of(IO_URING, EPOLL)) {
                Transport v = t.vertxTransport();
                if (v != null && v.available()
                        && (t != IO_URING || ringsOutsideMemlock(System.getProperty("os.version", "")))) {
                    return v;
                }
            }
            return Transport.NIO;
        }
        Transport named = vertxTransport();
        if (named == null) {
            throw new IllegalStateException("the " + name().toLowerCase(Locale.ROOT) + " transport is not available"
                    + " here: Netty's jar for it is not on the class path; set the transport to auto or nio");
        }
        if (!named.available()) {
            Throwable cause = named.unavailabilityCause();
            throw new IllegalStateException("the " + named.name() + " transport is not available here"
                    + (cause != null ? ": " + cause.getMessage() : "") + "; set the transport to auto or nio", cause);
        }
        return named;
    }

    /**
     * Whether a Linux kernel of this version ({@code os.version}, e.g. {@code 5.10.0-28-amd64}) leaves
     * io_uring's rings out of {@code RLIMIT_MEMLOCK}: 5.12 and later. Before, each event loop's ring
     * counts against a limit that is often 64 KiB, so Netty's availability check (one small ring)
     * passes and the event loops then fail to start; {@link #AUTO} takes epoll there. Naming
     * {@code io_uring} still takes it (with the limit raised, it works).
     */
    static boolean ringsOutsideMemlock(String osVersion) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(osVersion);
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 5 || major == 5 && minor >= 12;
    }

    /** Vert.x's constant for this transport: null for {@link #AUTO}, and for a native one whose jar is absent. */
    Transport vertxTransport() {
        return switch (this) {
            case AUTO -> null;
            case IO_URING -> Transport.IO_URING;
            case EPOLL -> Transport.EPOLL;
            case NIO -> Transport.NIO;
        };
    }
}
