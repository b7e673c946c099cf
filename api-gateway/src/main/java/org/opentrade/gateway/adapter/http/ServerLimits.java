package org.opentrade.gateway.adapter.http;

import java.time.Duration;

/**
 * What one client connection may cost the gateway's HTTP server. Immutable; validated by the config.
 *
 * @param idleTimeout        a connection with no byte read or written for this long is closed (also
 *                           WebSockets: keep it above the pools' ping interval)
 * @param requestReadTimeout a client must send the head of a request within this of connecting or of
 *                           the previous answer, and its body within this of the head; else the
 *                           connection is closed (a head) or answered 408 -1011 (a body). Checked by
 *                           one timer per connection, so a client is cut off after 1 to 2 times this
 * @param maxConnections     open connections over all event loops; more are closed at once, before
 *                           a byte is read
 * @param maxConnectionsPerAddress open connections from one address (an IPv6 /64; a trusted proxy's
 *                           are not counted); more are closed at once, so one host cannot take them all
 * @param maxHeaderBytes     request headers larger than this are answered 431 -1009 by the decoder
 * @param maxRequestLineBytes request lines (method, URI, version) longer than this are answered 414 -1010
 */
public record ServerLimits(Duration idleTimeout, Duration requestReadTimeout, int maxConnections, int maxHeaderBytes,
                           int maxRequestLineBytes, int maxConnectionsPerAddress) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;
    public static final int DEFAULT_MAX_HEADER_BYTES = RequestGuard.MAX_HEADER_BYTES;
    public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = RequestGuard.MAX_URI_LENGTH + 64;

    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_READ_TIMEOUT, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_REQUEST_LINE_BYTES, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
    }
}
