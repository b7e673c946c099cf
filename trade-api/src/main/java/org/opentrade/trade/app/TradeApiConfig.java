package org.opentrade.trade.app;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import org.opentrade.common.cluster.ClusterConfig;
import org.opentrade.common.config.Config;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.tracing.TracingOptions;
import org.opentrade.trade.adapter.fix.FixAcceptorOptions;
import org.opentrade.trade.adapter.redis.RedisStoreOptions;
import org.opentrade.trade.domain.FeeSchedule;
import org.opentrade.trade.domain.intent.ExchangeOrderIds;
import org.opentrade.trade.domain.ledger.LedgerOptions;

/**
 * trade-api's configuration, read once from {@value #RESOURCE} (commented defaults) and validated:
 * a bad value fails start-up naming the key. Immutable.
 */
public record TradeApiConfig(String host, int port, EventBusMode eventBus, long maxBodyBytes, Path dataDir,
                             boolean fsync, Duration snapshotEvery, long startingBalance, TPlusOne tPlusOne,
                             FeeSchedule fees, long maxOrderQty, long maxOrderNotional, int maxOpenOrders,
                             int maxOrdersPerSecond, Duration commandTimeout, Duration heartbeat,
                             int retentionMessages, Duration retentionAge, Path identityPublicKeyFile,
                             Duration identityClockSkew, String adminToken, TracingOptions tracing,
                             StoreChoice store, FixSection fix, ClusterConfig cluster, int historyKept) {
    public static final String RESOURCE = "trade-api.yaml";
    public static final String OVERRIDE_PROPERTY = "opentrade.trade.config";
    public static final String OVERRIDE_ENV = "OPENTRADE_TRADE_CONFIG";

    public enum EventBusMode { LOCAL, CLUSTER }

    /** Where intents and snapshots live: files under {@code store.data_dir}, or Redis (distributed mode). */
    public enum StoreBackend { FILE, REDIS }

    /**
     * The store choice: {@code backend}, this instance's id (the top bits of its exchange order ids and,
     * in Redis, its key space) and, for {@link StoreBackend#REDIS}, how to reach Redis (its
     * {@code toString} hides the URI's password).
     *
     * @param partitions account partitions of trade-api (0: none); with n, this instance serves
     *                   partition {@code instanceId} (1..n) and refuses other accounts
     * @param intentRetention intents are pruned through the oldest snapshot kept once that snapshot is this
     *                   old ({@code store.intent_retention})
     * @param standby    wait for the instance's claim instead of refusing to start while another process holds
     *                   it ({@code store.standby}; Redis only): a spare that takes over when the holder dies
     */
    public record StoreChoice(StoreBackend backend, int instanceId, RedisStoreOptions redis, int partitions,
                              Duration intentRetention, boolean standby) {
        /** How old the oldest snapshot kept must be before the intents it covers are pruned, unless configured. */
        public static final Duration DEFAULT_INTENT_RETENTION = Duration.ofHours(24);

        public StoreChoice(StoreBackend backend, int instanceId, RedisStoreOptions redis, int partitions) {
            this(backend, instanceId, redis, partitions, DEFAULT_INTENT_RETENTION, false);
        }

        public StoreChoice(StoreBackend backend, int instanceId, RedisStoreOptions redis) {
            this(backend, instanceId, redis, 0);
        }

        public static final StoreChoice FILE_DEFAULT = new StoreChoice(StoreBackend.FILE, 0,
                RedisStoreOptions.of(RedisStoreOptions.DEFAULT_URI, 0));
    }

    /**
     * The FIX 4.4 acceptor ({@code fix:}): whether trade-api runs it, where it listens, the connections
     * its port holds (at most {@code maxConnections}, {@code maxConnectionsPerAddress} from one address,
     * each logged on within {@code logonWithin}), and when its sessions start over each day
     * ({@code dailyReset} in {@code resetZone}; null never), and the messages a session may send a second
     * ({@code maxMessagesPerSecond}). Its store lives under {@code store.data_dir}/fix.
     */
    public record FixSection(boolean enabled, String host, int port, int maxConnections, int maxConnectionsPerAddress,
                             Duration logonWithin, LocalTime dailyReset, ZoneId resetZone, int maxMessagesPerSecond,
                             int refusedLogonsPerMinute) {
        public static final FixSection DISABLED = new FixSection(false, "127.0.0.1", 9878);

        /** With the default connection limits and daily reset. */
        public FixSection(boolean enabled, String host, int port) {
            this(enabled, host, port, FixAcceptorOptions.DEFAULT_MAX_CONNECTIONS,
                    FixAcceptorOptions.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, FixAcceptorOptions.DEFAULT_LOGON_WITHIN,
                    FixAcceptorOptions.DEFAULT_DAILY_RESET, FixAcceptorOptions.DEFAULT_RESET_ZONE,
                    FixAcceptorOptions.DEFAULT_MAX_MESSAGES_PER_SECOND, FixAcceptorOptions.DEFAULT_REFUSED_LOGONS_PER_MINUTE);
        }

        /** The same limits and reset, another switch and address. */
        public FixSection at(boolean newEnabled, String newHost, int newPort) {
            return new FixSection(newEnabled, newHost, newPort, maxConnections, maxConnectionsPerAddress, logonWithin,
                    dailyReset, resetZone, maxMessagesPerSecond, refusedLogonsPerMinute);
        }
    }

    /** The configuration without a FIX acceptor, cluster defaults (callers written before they existed). */
    public TradeApiConfig(String host, int port, EventBusMode eventBus, long maxBodyBytes, Path dataDir,
                          boolean fsync, Duration snapshotEvery, long startingBalance, TPlusOne tPlusOne,
                          FeeSchedule fees, long maxOrderQty, long maxOrderNotional, int maxOpenOrders,
                          int maxOrdersPerSecond, Duration commandTimeout, Duration heartbeat,
                          int retentionMessages, Duration retentionAge, Path identityPublicKeyFile,
                          Duration identityClockSkew, String adminToken, TracingOptions tracing,
                          StoreChoice store) {
        this(host, port, eventBus, maxBodyBytes, dataDir, fsync, snapshotEvery, startingBalance, tPlusOne, fees,
                maxOrderQty, maxOrderNotional, maxOpenOrders, maxOrdersPerSecond, commandTimeout, heartbeat,
                retentionMessages, retentionAge, identityPublicKeyFile, identityClockSkew, adminToken, tracing, store,
                FixSection.DISABLED, ClusterConfig.defaults(), LedgerOptions.DEFAULT_HISTORY_KEPT);
    }

    /** T+1 rule: on, off, or following the exchange's calendar (on for A-share). */
    public enum TPlusOne { AUTO, ON, OFF }

    @Override
    public String toString() {
        return "TradeApiConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", fsync=" + fsync
                + ", store=" + store.backend() + ", instanceId=" + store.instanceId()
                + (store.backend() == StoreBackend.REDIS ? ", redis=" + store.redis() : "") + "]";
    }

    public static TradeApiConfig load(ConfigLoader loader) {
        Config root = loader.load(RESOURCE, OVERRIDE_PROPERTY, OVERRIDE_ENV);
        TradeApiConfig c = from(root);
        root.rejectUnknownKeys();
        return c;
    }

    public static TradeApiConfig from(Config root) {
        Config server = root.section("server");
        Config store = root.section("store");
        Config accounts = root.section("accounts");
        Config fees = accounts.section("fees");
        Config risk = root.section("risk");
        Config streams = root.section("streams");
        Config identity = root.section("identity");
        String keyFile = identity.string("public_key_file", "");
        FeeSchedule schedule = new FeeSchedule(rate(fees, "commission_pct", "0.025"), money(fees, "min_commission", "5.00"),
                rate(fees, "stamp_duty_pct", "0.05"), rate(fees, "transfer_fee_pct", "0.001"));
        return new TradeApiConfig(
                server.string("host", "127.0.0.1"),
                server.intValue("port", 8082, 0, 65_535),
                server.enumValue("event_bus", EventBusMode.class, EventBusMode.CLUSTER),
                server.longValue("max_body_bytes", 16_384, 1_024, 1 << 20),
                store.path("data_dir", "./data/trade"),
                "batch".equals(store.oneOf("fsync", "batch", "batch", "none")),
                positive(store, "store.snapshot_every", "snapshot_every", Duration.ofSeconds(60)),
                money(accounts, "starting_balance", "1000000.00"),
                accounts.enumValue("t_plus_one", TPlusOne.class, TPlusOne.AUTO),
                schedule,
                risk.longValue("max_order_qty", 1_000_000, 1, Long.MAX_VALUE / 1_000_000),
                money(risk, "max_order_notional", "50000000.00"),
                risk.intValue("max_open_orders", 500, 1, 1_000_000),
                risk.intValue("max_orders_per_second", 50, 1, 1_000_000),
                positive(root.section("exchange"), "exchange.command_timeout", "command_timeout", Duration.ofSeconds(2)),
                positive(streams, "streams.heartbeat", "heartbeat", Duration.ofSeconds(10)),
                streams.intValue("retention_messages", 1000, 1, 10_000_000),
                positive(streams, "streams.retention_age", "retention_age", Duration.ofSeconds(300)),
                keyFile.isEmpty() ? null : Path.of(keyFile),
                identity.duration("clock_skew", Duration.ofSeconds(5)),
                root.section("admin").string("token", ""),
                TracingOptions.fromConfig(root.section("tracing"), "trade-api"),
                storeChoice(store, root.section("redis")),
                fixSection(root.section("fix")),
                ClusterConfig.fromConfig(root.section("cluster")),
                accounts.intValue("history_kept", LedgerOptions.DEFAULT_HISTORY_KEPT, 100, 10_000_000));
    }

    private static FixSection fixSection(Config fix) {
        int total = fix.intValue("max_connections", FixAcceptorOptions.DEFAULT_MAX_CONNECTIONS, 1, 100_000);
        int perAddress = fix.intValue("max_connections_per_address",
                FixAcceptorOptions.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, 1, 100_000);
        if (perAddress > total) {
            throw new ConfigException("config key 'fix.max_connections_per_address' has value '" + perAddress
                    + "'; allowed: at most fix.max_connections (" + total + ")");
        }
        return new FixSection(fix.bool("enabled", false), fix.string("host", "127.0.0.1"),
                fix.intValue("port", 9878, 0, 65_535), total, perAddress,
                positive(fix, "fix.logon_within", "logon_within", FixAcceptorOptions.DEFAULT_LOGON_WITHIN),
                "none".equals(fix.string("daily_reset", "")) ? null
                        : fix.time("daily_reset", FixAcceptorOptions.DEFAULT_DAILY_RESET),
                zone(fix, "daily_reset_zone", FixAcceptorOptions.DEFAULT_RESET_ZONE),
                fix.intValue("max_messages_per_second", FixAcceptorOptions.DEFAULT_MAX_MESSAGES_PER_SECOND, 1, 1_000_000),
                fix.intValue("refused_logons_per_address_per_minute", FixAcceptorOptions.DEFAULT_REFUSED_LOGONS_PER_MINUTE,
                        1, 1_000_000));
    }

    private static StoreChoice storeChoice(Config store, Config redis) {
        StoreBackend backend = "redis".equals(store.oneOf("backend", "file", "file", "redis"))
                ? StoreBackend.REDIS : StoreBackend.FILE;
        int instanceId = store.intValue("instance_id", 0, 0, ExchangeOrderIds.MAX_INSTANCE_ID);
        String uri = redis.string("uri", RedisStoreOptions.DEFAULT_URI);
        RedisStoreOptions options;
        try {
            options = new RedisStoreOptions(uri, instanceId, redis.string("key_prefix", RedisStoreOptions.DEFAULT_KEY_PREFIX),
                    positive(redis, "redis.command_timeout", "command_timeout", RedisStoreOptions.DEFAULT_COMMAND_TIMEOUT),
                    positive(redis, "redis.connect_timeout", "connect_timeout", RedisStoreOptions.DEFAULT_CONNECT_TIMEOUT),
                    redis.intValue("max_in_flight", RedisStoreOptions.DEFAULT_MAX_IN_FLIGHT, 1, 10_000_000),
                    redis.intValue("exchange_id_block", RedisStoreOptions.DEFAULT_EXCHANGE_ID_BLOCK, 1, 100_000_000),
                    redis.intValue("wait_replicas", RedisStoreOptions.DEFAULT_WAIT_REPLICAS, 0, 100),
                    redis.intValue("keep_snapshots", RedisStoreOptions.DEFAULT_KEEP_SNAPSHOTS, 1, 100));
        } catch (IllegalArgumentException e) {
            // The message redacts the URI's password.
            throw new ConfigException("config key 'redis.uri' is not valid: " + e.getMessage()
                    + "; allowed: redis://[user:password@]host:port/db or rediss://…");
        }
        int partitions = store.intValue("partitions", 0, 0, org.opentrade.common.discovery.ServiceInstance.MAX_PARTITIONS);
        if (partitions > 0 && (instanceId < 1 || instanceId > partitions)) {
            throw new ConfigException("config key 'store.instance_id' is " + instanceId + " but 'store.partitions' is "
                    + partitions + "; allowed: an instance id from 1 to " + partitions + " (the partition it serves)");
        }
        boolean standby = store.bool("standby", false);
        if (standby && backend != StoreBackend.REDIS) {
            throw new ConfigException("config key 'store.standby' is true but 'store.backend' is file; allowed: a"
                    + " standby with backend redis (it takes over the instance's state in Redis)");
        }
        return new StoreChoice(backend, instanceId, options, partitions, positive(store, "store.intent_retention",
                "intent_retention", StoreChoice.DEFAULT_INTENT_RETENTION), standby);
    }

    /** The same configuration listening on {@code host:port} (the all-in-one picks a free port). */
    public TradeApiConfig withServer(String newHost, int newPort) {
        return new TradeApiConfig(newHost, newPort, eventBus, maxBodyBytes, dataDir, fsync, snapshotEvery,
                startingBalance, tPlusOne, fees, maxOrderQty, maxOrderNotional, maxOpenOrders, maxOrdersPerSecond,
                commandTimeout, heartbeat, retentionMessages, retentionAge, identityPublicKeyFile, identityClockSkew,
                adminToken, tracing, store, fix, cluster, historyKept);
    }

    /** The same configuration with the FIX acceptor {@code enabled} on {@code fixHost:fixPort} (0: any free port). */
    public TradeApiConfig withFix(boolean enabled, String fixHost, int fixPort) {
        return new TradeApiConfig(host, port, eventBus, maxBodyBytes, dataDir, fsync, snapshotEvery,
                startingBalance, tPlusOne, fees, maxOrderQty, maxOrderNotional, maxOpenOrders, maxOrdersPerSecond,
                commandTimeout, heartbeat, retentionMessages, retentionAge, identityPublicKeyFile, identityClockSkew,
                adminToken, tracing, store, fix.at(enabled, fixHost, fixPort), cluster, historyKept);
    }

    private static ZoneId zone(Config fix, String key, ZoneId def) {
        String id = fix.string(key, def.getId());
        try {
            return ZoneId.of(id);
        } catch (java.time.DateTimeException e) {
            throw new ConfigException("config key 'fix." + key + "' has value '" + id
                    + "'; allowed: a time zone id such as Asia/Shanghai or UTC");
        }
    }

    private static Duration positive(Config section, String fullKey, String key, Duration def) {
        Duration d = section.duration(key, def);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException("config key '" + fullKey + "' has value '" + d + "'; allowed: a positive duration");
        }
        return d;
    }

    /** A money amount ("5.00") in hundredths. */
    private static long money(Config section, String key, String def) {
        String raw = section.string(key, def);
        try {
            BigDecimal v = new BigDecimal(raw);
            if (v.signum() < 0 || v.scale() > 2) {
                throw new NumberFormatException();
            }
            return v.movePointRight(2).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException("config key '" + key + "' has value '" + raw
                    + "'; allowed: an amount with at most 2 decimals, such as 5.00");
        }
    }

    /** A percentage ("0.025") as hundredths of a basis point (250), FeeSchedule's unit. */
    private static long rate(Config section, String key, String def) {
        String raw = section.string(key, def);
        try {
            BigDecimal v = new BigDecimal(raw);
            if (v.signum() < 0 || v.compareTo(BigDecimal.TEN) > 0) {
                throw new NumberFormatException();
            }
            return v.movePointRight(4).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException("config key 'accounts.fees." + key + "' has value '" + raw
                    + "'; allowed: a percentage from 0 to 10 with at most 4 decimals, such as 0.025");
        }
    }
}
