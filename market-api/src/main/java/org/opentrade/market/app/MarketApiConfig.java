package org.opentrade.market.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrade.common.cluster.ClusterConfig;
import org.opentrade.common.config.Config;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.tracing.TracingOptions;

/**
 * market-api's configuration, read once from {@value #RESOURCE} (commented defaults: the file says
 * what each key trades off) and validated: a bad value fails start-up naming the key. Immutable.
 */
public record MarketApiConfig(String host, int port, EventBusMode eventBus, StoreType store, Path dataDir,
                              String influxUrl, String influxDatabase, String influxRetentionPolicy,
                              String influxUsername, String influxPassword, Duration flushInterval, int maxBatch,
                              int maxBuffered, boolean backfill, int backfillDays, long seed, double volatilityPerHour,
                              int recentMinuteBars, int recentTrades, long maxImportBytes, int depthLevels,
                              Duration heartbeat, int retentionMessages, Duration retentionAge,
                              Map<String, Integer> maxSubscriptions, long writeQueueBytes, Duration slowConsumerGrace,
                              Path identityPublicKeyFile, Duration identityClockSkew, String adminToken,
                              TracingOptions tracing, ClusterConfig cluster, String feedConsumer, int readThreads,
                              int readQueue, Duration readTimeout) {
    public static final String RESOURCE = "market-api.yaml";
    public static final String OVERRIDE_PROPERTY = "opentrade.market.config";
    public static final String OVERRIDE_ENV = "OPENTRADE_MARKET_CONFIG";

    /** Where history lives. */
    public enum StoreType { QUESTDB, INFLUXDB, MEMORY }

    /** How a standalone market-api reaches the exchange. */
    public enum EventBusMode { LOCAL, CLUSTER }

    public MarketApiConfig {
        maxSubscriptions = Map.copyOf(maxSubscriptions);
    }

    /** Without secrets. */
    @Override
    public String toString() {
        return "MarketApiConfig[host=" + host + ", port=" + port + ", store=" + store + ", dataDir=" + dataDir
                + ", influxUrl=" + influxUrl + ", backfill=" + backfill + "]";
    }

    public static MarketApiConfig load(ConfigLoader loader) {
        Config root = loader.load(RESOURCE, OVERRIDE_PROPERTY, OVERRIDE_ENV);
        MarketApiConfig c = from(root);
        root.rejectUnknownKeys();
        return c;
    }

    public static MarketApiConfig from(Config root) {
        Config server = root.section("server");
        Config store = root.section("store");
        Config influx = store.section("influx");
        Config history = root.section("history");
        Config streams = root.section("streams");
        Config identity = root.section("identity");
        Config subs = streams.section("max_subscriptions");
        Map<String, Integer> perPlan = new LinkedHashMap<>();
        for (String plan : new String[] {"free", "pro", "partner"}) {
            perPlan.put(plan, subs.intValue(plan, 50, 1, 100_000));
        }
        Duration flush = positive(store, "flush_interval", Duration.ofMillis(200));
        String keyFile = identity.string("public_key_file", "");
        String url = influx.string("url", "http://127.0.0.1:8086");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ConfigException("config key 'store.influx.url' has value '" + url
                    + "'; allowed: an http:// or https:// URL such as http://127.0.0.1:8086");
        }
        return new MarketApiConfig(
                server.string("host", "127.0.0.1"),
                server.intValue("port", 8081, 0, 65_535),
                server.enumValue("event_bus", EventBusMode.class, EventBusMode.CLUSTER),
                store.enumValue("type", StoreType.class, StoreType.QUESTDB),
                store.path("data_dir", "./data/market"),
                url,
                influx.string("database", "opentrade"),
                influx.string("retention_policy", ""),
                influx.string("username", ""),
                influx.string("password", ""),
                flush,
                store.intValue("max_batch", 5000, 1, 1_000_000),
                store.intValue("max_buffered", 1_000_000, 1_000, 100_000_000),
                history.bool("backfill", true),
                history.intValue("backfill_days", 120, 1, 5_000),
                history.longValue("seed", 20260101, Long.MIN_VALUE, Long.MAX_VALUE),
                history.doubleValue("volatility_per_hour", 0.01, 0.0, 1.0),
                history.intValue("recent_minute_bars", 20_000, 100, 10_000_000),
                history.intValue("recent_trades", 1000, 10, 1_000_000),
                history.longValue("max_import_bytes", 64L << 20, 1024, 1L << 31),
                root.section("depth").intValue("levels", 20, 1, 1000),
                positive(streams, "heartbeat", Duration.ofSeconds(10)),
                streams.intValue("retention_messages", 2000, 1, 10_000_000),
                positive(streams, "retention_age", Duration.ofSeconds(60)),
                perPlan,
                streams.longValue("write_queue_bytes", 1L << 20, 1024, 1L << 30),
                positive(streams, "slow_consumer_grace", Duration.ofSeconds(5)),
                keyFile.isEmpty() ? null : Path.of(keyFile),
                identity.duration("clock_skew", Duration.ofSeconds(5)),
                root.section("admin").string("token", ""),
                TracingOptions.fromConfig(root.section("tracing"), "market-api"),
                ClusterConfig.fromConfig(root.section("cluster")),
                feedConsumer(server.string("feed_consumer", "market-api")),
                history.intValue("read_threads", 2, 1, 64),
                history.intValue("read_queue", 16, 0, 10_000),
                positive(history, "read_timeout", Duration.ofSeconds(4)));
    }

    private static String feedConsumer(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new ConfigException("config key 'server.feed_consumer' has value '" + name + "'; allowed: 1 to 64"
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    private static Duration positive(Config section, String key, Duration def) {
        Duration d = section.duration(key, def);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException("config key '" + key + "' has value '" + d + "'; allowed: a positive duration");
        }
        return d;
    }

    /** Subscriptions allowed per key on this plan (the lowest plan's for an unknown one). */
    public int maxSubscriptions(String plan) {
        Integer n = plan == null ? null : maxSubscriptions.get(plan);
        return n != null ? n : maxSubscriptions.getOrDefault("free", 50);
    }

    /** The same configuration with another backfill length (tests: a short history backfills fast). */
    public MarketApiConfig withBackfillDays(int days) {
        return new MarketApiConfig(host, port, eventBus, store, dataDir, influxUrl, influxDatabase, influxRetentionPolicy,
                influxUsername, influxPassword, flushInterval, maxBatch, maxBuffered, backfill, days, seed,
                volatilityPerHour, recentMinuteBars, recentTrades, maxImportBytes, depthLevels, heartbeat,
                retentionMessages, retentionAge, maxSubscriptions, writeQueueBytes, slowConsumerGrace,
                identityPublicKeyFile, identityClockSkew, adminToken, tracing, cluster, feedConsumer, readThreads,
                readQueue, readTimeout);
    }

    /** The same configuration listening on {@code host:port} (the all-in-one picks a free port). */
    public MarketApiConfig withServer(String host, int port) {
        return new MarketApiConfig(host, port, eventBus, store, dataDir, influxUrl, influxDatabase, influxRetentionPolicy,
                influxUsername, influxPassword, flushInterval, maxBatch, maxBuffered, backfill, backfillDays, seed,
                volatilityPerHour, recentMinuteBars, recentTrades, maxImportBytes, depthLevels, heartbeat,
                retentionMessages, retentionAge, maxSubscriptions, writeQueueBytes, slowConsumerGrace,
                identityPublicKeyFile, identityClockSkew, adminToken, tracing, cluster, feedConsumer, readThreads,
                readQueue, readTimeout);
    }
}
