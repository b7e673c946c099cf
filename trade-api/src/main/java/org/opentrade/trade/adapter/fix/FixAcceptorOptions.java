package org.opentrade.trade.adapter.fix;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Knobs of the FIX 4.4 acceptor. Immutable; {@code with*} make copies.
 *
 * @param host                 bind address: 127.0.0.1 keeps FIX local; 0.0.0.0 opens it to the network
 * @param port                 TCP port (contract default 9878)
 * @param storeDir             QuickFIX/J file store: sequence numbers and sent messages per session
 *                             (a restart continues them; a ResendRequest is answered from it)
 * @param minHeartbeatSeconds  smallest HeartBtInt(108) a Logon may ask for (smaller: faster detection of
 *                             dead peers; more traffic)
 * @param maxHeartbeatSeconds  largest HeartBtInt a Logon may ask for
 * @param cancelOnDisconnect   default for sessions whose Logon does not carry tag 8013: cancel the
 *                             account's open orders when the session ends
 * @param logonTimeout         longest wait for the gateway's key check (blocks only that session's
 *                             QuickFIX/J thread); after it the Logon is refused with a Logout
 * @param maxClOrdIdsPerAccount ClOrdIDs of cancels and replaces remembered per account (least recently
 *                             used evicted first): bounds memory a client can make the acceptor hold
 * @param maxPendingPerOrder   cancel/replace requests in flight per order; more are refused
 *                             (CxlRejReason 3)
 * @param maxMdReqIdsPerSession market data subscriptions (MDReqIDs) a session may hold at once; more
 *                             are refused (MDReqRejReason 2)
 * @param maxMdSymbolsPerSession symbols a session may have subscribed at once, summed over its
 *                             MDReqIDs, and symbols one MarketDataRequest may name; more are refused
 *                             (MDReqRejReason 2): bounds the work one session adds to each feed event
 * @param maxMarketDepth       largest MarketDepth(264) served besides 0 (full book); larger is refused
 *                             (MDReqRejReason 5)
 * @param maxConnections       open TCP connections the port holds, logged on or not; one more is closed
 *                             at once ({@link FixConnectionGuard})
 * @param maxConnectionsPerAddress open connections from one remote address; one more is closed at once
 * @param logonWithin          a connection not logged on this long after it opened is closed (one whose
 *                             Logon waits for its key check gets {@code logonTimeout} more)
 * @param dailyReset           the time of day the sessions start over: live ones are logged out, sequence
 *                             numbers restart at 1 and the store is emptied (the usual FIX day); null never
 *                             (the store then grows with every report for the session's life)
 * @param resetZone            the time zone of {@code dailyReset}
 * @param maxMessagesPerSecond messages a session may send a second, in bursts of twice that; more are
 *                             refused with a BusinessMessageReject, and a session that keeps on is logged
 *                             out ({@link MessageThrottle})
 * @param refusedLogonsPerMinute refused Logons one address may have in a minute; then its connections are
 *                             closed at once until the minute is over ({@link FixConnectionGuard})
 */
public record FixAcceptorOptions(String host, int port, Path storeDir, int minHeartbeatSeconds,
                                 int maxHeartbeatSeconds, boolean cancelOnDisconnect, Duration logonTimeout,
                                 int maxClOrdIdsPerAccount, int maxPendingPerOrder, int maxMdReqIdsPerSession,
                                 int maxMdSymbolsPerSession, int maxMarketDepth, int maxConnections,
                                 int maxConnectionsPerAddress, Duration logonWithin, java.time.LocalTime dailyReset,
                                 java.time.ZoneId resetZone, int maxMessagesPerSecond, int refusedLogonsPerMinute) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9878;
    public static final int DEFAULT_MIN_HEARTBEAT_SECONDS = 1;
    public static final int DEFAULT_MAX_HEARTBEAT_SECONDS = 300;
    public static final boolean DEFAULT_CANCEL_ON_DISCONNECT = false;
    public static final Duration DEFAULT_LOGON_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_CLORDIDS_PER_ACCOUNT = 10_000;
    public static final int DEFAULT_MAX_PENDING_PER_ORDER = 8;
    public static final int DEFAULT_MAX_MD_REQ_IDS_PER_SESSION = 100;
    public static final int DEFAULT_MAX_MD_SYMBOLS_PER_SESSION = 100;
    public static final int DEFAULT_MAX_MARKET_DEPTH = 100;
    public static final int DEFAULT_MAX_CONNECTIONS = 2_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 50;
    public static final Duration DEFAULT_LOGON_WITHIN = Duration.ofSeconds(10);
    /** 05:00 in Shanghai: the night of the A-share calendar, hours after the close. */
    public static final java.time.LocalTime DEFAULT_DAILY_RESET = java.time.LocalTime.of(5, 0);
    public static final java.time.ZoneId DEFAULT_RESET_ZONE = java.time.ZoneId.of("Asia/Shanghai");
    /** Twice the risk limit of 50 orders a second: room for their cancels and status requests. */
    public static final int DEFAULT_MAX_MESSAGES_PER_SECOND = 100;
    /** As the gateway's sign-up and log-in limit per address. */
    public static final int DEFAULT_REFUSED_LOGONS_PER_MINUTE = 30;
    /** Our CompID: the initiator's TargetCompID(56). */
    public static final String COMP_ID = "OPENTRADE";

    public FixAcceptorOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("fix host must be an address, such as 127.0.0.1");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("fix port must be 0..65535: " + port);
        }
        if (storeDir == null) {
            throw new IllegalArgumentException("fix store dir is required");
        }
        if (minHeartbeatSeconds < 1 || maxHeartbeatSeconds < minHeartbeatSeconds) {
            throw new IllegalArgumentException("fix heartbeat bounds must satisfy 1 <= min <= max: "
                    + minHeartbeatSeconds + ".." + maxHeartbeatSeconds);
        }
        if (logonTimeout == null || logonTimeout.isZero() || logonTimeout.isNegative()) {
            throw new IllegalArgumentException("fix logon timeout must be positive");
        }
        if (maxClOrdIdsPerAccount < 1 || maxPendingPerOrder < 1 || maxMdReqIdsPerSession < 1
                || maxMdSymbolsPerSession < 1 || maxMarketDepth < 1) {
            throw new IllegalArgumentException("fix bounds must be positive");
        }
        if (maxConnections < 1 || maxConnectionsPerAddress < 1 || maxConnectionsPerAddress > maxConnections) {
            throw new IllegalArgumentException("fix connection limits must satisfy 1 <= per address <= total: "
                    + maxConnectionsPerAddress + ", " + maxConnections);
        }
        if (logonWithin == null || logonWithin.isZero() || logonWithin.isNegative()) {
            throw new IllegalArgumentException("fix logon_within must be positive");
        }
        if (resetZone == null) {
            throw new IllegalArgumentException("fix reset zone is required");
        }
        if (maxMessagesPerSecond < 1 || refusedLogonsPerMinute < 1) {
            throw new IllegalArgumentException("fix max_messages_per_second and refused_logons_per_address_per_minute"
                    + " must be positive");
        }
    }

    public static FixAcceptorOptions defaults(Path storeDir) {
        return new FixAcceptorOptions(DEFAULT_HOST, DEFAULT_PORT, storeDir, DEFAULT_MIN_HEARTBEAT_SECONDS,
                DEFAULT_MAX_HEARTBEAT_SECONDS, DEFAULT_CANCEL_ON_DISCONNECT, DEFAULT_LOGON_TIMEOUT,
                DEFAULT_MAX_CLORDIDS_PER_ACCOUNT, DEFAULT_MAX_PENDING_PER_ORDER, DEFAULT_MAX_MD_REQ_IDS_PER_SESSION,
                DEFAULT_MAX_MD_SYMBOLS_PER_SESSION, DEFAULT_MAX_MARKET_DEPTH, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_LOGON_WITHIN, DEFAULT_DAILY_RESET, DEFAULT_RESET_ZONE,
                DEFAULT_MAX_MESSAGES_PER_SECOND, DEFAULT_REFUSED_LOGONS_PER_MINUTE);
    }

    public FixAcceptorOptions withAddress(String newHost, int newPort) {
        return new FixAcceptorOptions(newHost, newPort, storeDir, minHeartbeatSeconds, maxHeartbeatSeconds,
                cancelOnDisconnect, logonTimeout, maxClOrdIdsPerAccount, maxPendingPerOrder, maxMdReqIdsPerSession,
                maxMdSymbolsPerSession, maxMarketDepth, maxConnections, maxConnectionsPerAddress,
                logonWithin, dailyReset, resetZone, maxMessagesPerSecond,
                refusedLogonsPerMinute);
    }

    public FixAcceptorOptions withCancelOnDisconnect(boolean value) {
        return new FixAcceptorOptions(host, port, storeDir, minHeartbeatSeconds, maxHeartbeatSeconds, value,
                logonTimeout, maxClOrdIdsPerAccount, maxPendingPerOrder, maxMdReqIdsPerSession,
                maxMdSymbolsPerSession, maxMarketDepth, maxConnections, maxConnectionsPerAddress,
                logonWithin, dailyReset, resetZone, maxMessagesPerSecond,
                refusedLogonsPerMinute);
    }

    public FixAcceptorOptions withLogonTimeout(Duration value) {
        return new FixAcceptorOptions(host, port, storeDir, minHeartbeatSeconds, maxHeartbeatSeconds,
                cancelOnDisconnect, value, maxClOrdIdsPerAccount, maxPendingPerOrder, maxMdReqIdsPerSession,
                maxMdSymbolsPerSession, maxMarketDepth, maxConnections, maxConnectionsPerAddress,
                logonWithin, dailyReset, resetZone, maxMessagesPerSecond,
                refusedLogonsPerMinute);
    }

    public FixAcceptorOptions withMaxClOrdIdsPerAccount(int value) {
        return new FixAcceptorOptions(host, port, storeDir, minHeartbeatSeconds, maxHeartbeatSeconds,
                cancelOnDisconnect, logonTimeout, value, maxPendingPerOrder, maxMdReqIdsPerSession,
                maxMdSymbolsPerSession, maxMarketDepth, maxConnections, maxConnectionsPerAddress,
                logonWithin, dailyReset, resetZone, maxMessagesPerSecond,
                refusedLogonsPerMinute);
    }

    public FixAcceptorOptions withConnectionLimits(int total, int perAddress, Duration within) {
        return new FixAcceptorOptions(host, port, storeDir, minHeartbeatSeconds, maxHeartbeatSeconds,
                cancelOnDisconnect, logonTimeout, maxClOrdIdsPerAccount, maxPendingPerOrder, maxMdReqIdsPerSession,
                maxMdSymbolsPerSession, maxMarketDepth, total, perAddress, within, dailyReset, resetZone,
                maxMessagesPerSecond, refusedLogonsPerMinute);
    }

    /** Sessions start over at {@code at} (null: never) in {@code zone} each day. */
    public FixAcceptorOptions withDailyReset(java.time.LocalTime at, java.time.ZoneId zone) {
        return new FixAcceptorOptions(host, port, storeDir, minHeartbeatSeconds, maxHeartbeatSeconds,
                cancelOnDisconnect, logonTimeout, maxClOrdIdsPerAccount, maxPendingPerOrder, maxMdReqIdsPerSession,
                maxMdSymbolsPerSession, maxMarketDepth, maxConnections, maxConnectionsPerAddress, logonWithin, at, zone,
                maxMessagesPerSecond, refusedLogonsPerMinute);
    }

    public FixAcceptorOptions withMaxMessagesPerSecond(int value) {
        return new FixAcceptorOptions(host, port, storeDir, minHeartbeatSeconds, maxHeartbeatSeconds,
                cancelOnDisconnect, logonTimeout, maxClOrdIdsPerAccount, maxPendingPerOrder, maxMdReqIdsPerSession,
                maxMdSymbolsPerSession, maxMarketDepth, maxConnections, maxConnectionsPerAddress, logonWithin, dailyReset,
                resetZone, value, refusedLogonsPerMinute);
    }

    public FixAcceptorOptions withRefusedLogonsPerMinute(int value) {
        return new FixAcceptorOptions(host, port, storeDir, minHeartbeatSeconds, maxHeartbeatSeconds,
                cancelOnDisconnect, logonTimeout, maxClOrdIdsPerAccount, maxPendingPerOrder, maxMdReqIdsPerSession,
                maxMdSymbolsPerSession, maxMarketDepth, maxConnections, maxConnectionsPerAddress, logonWithin, dailyReset,
                resetZone, maxMessagesPerSecond, value);
    }
}
