package org.opentrade.market.adapter.influx;

import java.net.URI;
import java.time.Duration;

/**
 * Where and how {@link InfluxTimeSeriesStore} talks to InfluxDB. Validated on construction: a bad
 * value fails fast with a message naming it. Credentials: {@code username}+{@code password} go as
 * HTTP Basic (InfluxDB 1.x users, or 2.x "v1 authorizations"); {@code token} goes as
 * {@code Authorization: Token ...} (2.x API tokens) and wins when both are set; all empty sends no
 * credentials (1.x with auth off).
 *
 * @param url              base URL of the server, e.g. {@code http://influx:8086} (no path)
 * @param database         the 1.x database; on 2.x the database name of a DBRP mapping
 * @param retentionPolicy  retention policy to write to and read from; empty = the database's default.
 *                         It must keep data forever (1.x {@code autogen} does): bars go back years and
 *                         checkpoints are stored at time 0, and a finite policy would drop them
 * @param username         empty = none
 * @param password         used with {@code username}
 * @param token            2.x API token; empty = none
 * @param connectTimeout   TCP connect bound; short, so a down server is reported fast
 * @param requestTimeout   how long to wait for the answer to one request (one write batch or one
 *                         read page); long enough for {@code writeBatchSize} lines on a busy server.
 *                         Each request waits at most connectTimeout + requestTimeout in all
 * @param createDatabase   send {@code CREATE DATABASE} (idempotent) before first use. 1.x: true. 2.x
 *                         has no InfluxQL CREATE: set false and provision the bucket and its DBRP
 *                         mapping beforehand
 * @param writeBatchSize   lines per {@code /write} request (InfluxData suggests about 5000). Larger:
 *                         fewer round trips; smaller: less to resend after a failure
 * @param readPageSize     rows per {@code /query}; a larger read is paged. Must stay at or below the
 *                         server's {@code [http] max-row-limit} when that is set (older 1.x releases
 *                         defaulted to 10000)
 * @param tradeSkipBound   trade points at or above a cursor that a trades page below it may have influxd read
 *                         while it filters {@code seq} from the newest point down; a cursor deeper than that
 *                         is sought by bisecting time, 16 probes per request (6 to 9 requests). Finding where
 *                         the bound lies costs every page below a cursor one request reading that many points
 *                         of one field (about a quarter of what filtering as many costs). Larger: more pages
 *                         run no seek, each page pays more for the bound; smaller: the reverse
 */
public record InfluxOptions(String url, String database, String retentionPolicy, String username, String password,
                            String token, Duration connectTimeout, Duration requestTimeout, boolean createDatabase,
                            int writeBatchSize, int readPageSize, int tradeSkipBound) {
    public static final String DEFAULT_URL = "http://127.0.0.1:8086";
    public static final String DEFAULT_DATABASE = "opentrade_market";
    public static final String DEFAULT_RETENTION_POLICY = "";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final boolean DEFAULT_CREATE_DATABASE = true;
    public static final int DEFAULT_WRITE_BATCH_SIZE = 5_000;
    public static final int DEFAULT_READ_PAGE_SIZE = 5_000;
    public static final int DEFAULT_TRADE_SKIP_BOUND = 5_000;

    public InfluxOptions {
        url = url == null ? "" : url.strip();
        if (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        URI parsed;
        try {
            parsed = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url must be http(s)://host:port, got '" + url + "'", e);
        }
        if (!("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme())) || parsed.getHost() == null) {
            throw new IllegalArgumentException("url must be http(s)://host:port, got '" + url + "'");
        }
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("database must not be empty");
        }
        retentionPolicy = retentionPolicy == null ? "" : retentionPolicy;
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        token = token == null ? "" : token;
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be > 0, got " + connectTimeout);
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be > 0, got " + requestTimeout);
        }
        if (writeBatchSize < 1) {
            throw new IllegalArgumentException("writeBatchSize must be >= 1, got " + writeBatchSize);
        }
        if (readPageSize < 1) {
            throw new IllegalArgumentException("readPageSize must be >= 1, got " + readPageSize);
        }
        if (tradeSkipBound < 1) {
            throw new IllegalArgumentException("tradeSkipBound must be >= 1, got " + tradeSkipBound);
        }
    }

    /** {@code url} and {@code database}, no credentials, defaults for the rest. */
    public static InfluxOptions of(String url, String database) {
        return new InfluxOptions(url, database, DEFAULT_RETENTION_POLICY, "", "", "", DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_CREATE_DATABASE, DEFAULT_WRITE_BATCH_SIZE, DEFAULT_READ_PAGE_SIZE,
                DEFAULT_TRADE_SKIP_BOUND);
    }

    public InfluxOptions withCredentials(String username, String password) {
        return new InfluxOptions(url, database, retentionPolicy, username, password, token, connectTimeout,
                requestTimeout, createDatabase, writeBatchSize, readPageSize, tradeSkipBound);
    }

    public InfluxOptions withToken(String token) {
        return new InfluxOptions(url, database, retentionPolicy, username, password, token, connectTimeout,
                requestTimeout, createDatabase, writeBatchSize, readPageSize, tradeSkipBound);
    }

    public InfluxOptions withRetentionPolicy(String retentionPolicy) {
        return new InfluxOptions(url, database, retentionPolicy, username, password, token, connectTimeout,
                requestTimeout, createDatabase, writeBatchSize, readPageSize, tradeSkipBound);
    }

    public InfluxOptions withTimeouts(Duration connectTimeout, Duration requestTimeout) {
        return new InfluxOptions(url, database, retentionPolicy, username, password, token, connectTimeout,
                requestTimeout, createDatabase, writeBatchSize, readPageSize, tradeSkipBound);
    }

    public InfluxOptions withCreateDatabase(boolean createDatabase) {
        return new InfluxOptions(url, database, retentionPolicy, username, password, token, connectTimeout,
                requestTimeout, createDatabase, writeBatchSize, readPageSize, tradeSkipBound);
    }

    public InfluxOptions withBatching(int writeBatchSize, int readPageSize) {
        return new InfluxOptions(url, database, retentionPolicy, username, password, token, connectTimeout,
                requestTimeout, createDatabase, writeBatchSize, readPageSize, tradeSkipBound);
    }

    public InfluxOptions withTradeSkipBound(int tradeSkipBound) {
        return new InfluxOptions(url, database, retentionPolicy, username, password, token, connectTimeout,
                requestTimeout, createDatabase, writeBatchSize, readPageSize, tradeSkipBound);
    }

    @Override
    public String toString() {
        // Never print secrets into logs.
        return "InfluxOptions[url=" + url + ", database=" + database + ", retentionPolicy=" + retentionPolicy
                + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
                + ", token=" + (token.isEmpty() ? "" : "***") + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + ", createDatabase=" + createDatabase
                + ", writeBatchSize=" + writeBatchSize + ", readPageSize=" + readPageSize
                + ", tradeSkipBound=" + tradeSkipBound + "]";
    }
}
