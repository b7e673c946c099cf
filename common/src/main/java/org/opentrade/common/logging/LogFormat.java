package org.opentrade.common.logging;

import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The log format of a process, chosen by {@code OPENTRADE_LOG_FORMAT} (or the system property
 * {@code opentrade.log.format}): {@code text} (the default, one readable line per record:
 * {@link TextLogFormatter}) or {@code json} ({@link JsonLogFormatter}). Either keeps a record on its
 * own line whatever a client put in its message. Every main calls {@link #configure} first; libraries that
 * log through SLF4J (QuickFIX/J, Hazelcast, Netty) reach java.util.logging through slf4j-jdk14, so
 * their lines take the same format.
 */
public final class LogFormat {
    public static final String ENV = "OPENTRADE_LOG_FORMAT";
    public static final String PROPERTY = "opentrade.log.format";
    private static final String TEXT_PATTERN = "%1$tF %1$tT.%1$tL %4$s %3$s - %5$s%6$s%n";

    private LogFormat() {
    }

    /** Applies the configured format to the root logger's handlers; returns the format applied. */
    public static String configure(String service) {
        String configured = System.getProperty(PROPERTY, System.getenv(ENV));
        return apply(configured, service);
    }

    /**
     * {@link #configure} for a process's {@code main}, before anything logs: a bad value is printed
     * (no logger is set up yet) and the JVM exits with status 1.
     */
    public static void configureOrExit(String service) {
        try {
            configure(service);
        } catch (IllegalArgumentException e) {
            System.err.println("bad configuration: " + e.getMessage());
            System.exit(1);
        }
    }

    static String apply(String configured, String service) {
        String format = configured == null || configured.isBlank() ? "text" : configured.trim().toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException(ENV + "='" + configured + "' is not a log format; allowed: text, json");
        }
        Logger root = LogManager.getLogManager().getLogger("");
        Handler[] handlers = root.getHandlers();
        if (handlers.length == 0) {
            root.addHandler(new ConsoleHandler());
            handlers = root.getHandlers();
        }
        for (Handler h : handlers) {
            h.setFormatter(format.equals("json") ? new JsonLogFormatter(service) : new TextLogFormatter(TEXT_PATTERN));
        }
        return format;
    }
}
