package org.opentrade.exchange.app;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.opentrade.common.cluster.ClusterConfig;
import org.opentrade.common.config.Config;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.tracing.TracingOptions;
import org.opentrade.exchange.adapter.disruptor.ShardedExchangeOptions;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.model.AShareCalendar;
import org.opentrade.exchange.model.ContinuousCalendar;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.model.TradingCalendar;
import org.opentrade.exchange.domain.feed.EventRetention;
import org.opentrade.exchange.domain.sim.SimulatorOptions;

/**
 * The exchange service's configuration, read once from {@value #RESOURCE} (commented defaults; see
 * that file for what each key trades off) and validated: a bad value fails start-up with a
 * {@link ConfigException} naming the key and the allowed values. Immutable.
 *
 * @param ownedShards     the shards this process runs, ascending; empty: all of them (the other
 *                        shards run in other exchange processes of the cluster)
 * @param dataDir         journal and snapshots; null runs without a journal
 * @param instrumentsFile universe CSV; null means the built-in universe
 * @param snapshotEveryTime also snapshot when this much engine time passed and something happened
 * @param feedHeartbeat   how often each shard's feed says how far it has got
 * @param jsonEvents      also publish every event as JSON on the per-event addresses
 * @param retention       how long event history is kept for feed consumers
 * @param tracing         spans of traced commands (service name, Zipkin export)
 * @param cluster         how the standalone exchange ({@link ExchangeMain}) joins the cluster; the
 *                        all-in-one ignores it
 * @param operations      where the standalone exchange serves /health, /ready and /metrics
 * @param failover        a leader and a standby for this process's shards (standalone exchange only)
 */
public record ExchangeConfig(int shards, List<Integer> ownedShards, Path dataDir, FsyncPolicy fsync, int ringSize, long snapshotEveryCommands,
                             Duration timeTick, CalendarType calendar, LocalTime dayEnd, ZoneId zone,
                             List<LocalDate> holidays, Path instrumentsFile, SimulatorOptions simulator,
                             Duration simulatorStep, Duration snapshotEveryTime, Duration feedHeartbeat,
                             boolean jsonEvents, EventRetention retention, TracingOptions tracing,
                             ClusterConfig cluster, Operations operations, Failover failover) {
    public static final String RESOURCE = "exchange.yaml";
    /**
     * A failover exchange's {@code cluster.cp.priority} unless configured: below every other member's
     * default 0, so the CP groups are led by a member that is not an exchange where there is one. The
     * leader's death then frees its lock with one commit in the lock's group, without a Raft election
     * in that group first (which took 0.7–1.5 s of a takeover).
     */
    public static final int FAILOVER_CP_PRIORITY = -1;
    public static final String OVERRIDE_PROPERTY = "opentrade.exchange.config";
    public static final String OVERRIDE_ENV = "OPENTRADE_EXCHANGE_CONFIG";

    /** The session schedules the exchange offers. */
    public enum CalendarType { CONTINUOUS, A_SHARE }

    /**
     * The standalone exchange's operations HTTP server ({@code operations:}): {@code port} 0 picks a
     * free port (logged at start).
     */
    public record Operations(String host, int port) {
        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final int DEFAULT_PORT = 8083;
    }

    /**
     * Exchange failover ({@code failover:}): two processes with the same shards, each its own data_dir,
     * hold the group's fenced lock in the cluster's CP subsystem; the holder leads, the other stands by,
     * following the leader's journal, and takes over when the leader dies.
     *
     * @param enabled            off: this process runs its shards alone (the leadership lock unused)
     * @param group              names the lock and the register: the same in both processes of a pair;
     *                           empty: {@code shards-<owned shards>} (e.g. {@code shards-0-1})
     * @param replicationTimeout how long a batch waits for the in-sync standby before the leader drops
     *                           it and runs alone
     * @param lockWait           how long each attempt to take the lock waits (a standby's takeover
     *                           loop; a starting process that does not get it in this time stands by)
     * @param catchUpTimeout     how long a batch sent to a standby that is not in sync yet (installing
     *                           the leader's images, then applying what queued meanwhile) may go
     *                           unacknowledged before the leader drops it (it then asks for new images);
     *                           nothing waits for those batches
     */
    public record Failover(boolean enabled, String group, Duration replicationTimeout, Duration lockWait,
                           Duration catchUpTimeout) {
        public static final Failover OFF = new Failover(false, "", Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofSeconds(60));

        /** {@link #catchUpTimeout} at its default. */
        public Failover(boolean enabled, String group, Duration replicationTimeout, Duration lockWait) {
            this(enabled, group, replicationTimeout, lockWait, OFF.catchUpTimeout());
        }
    }

    public ExchangeConfig {
        holidays = List.copyOf(holidays);
        ownedShards = List.copyOf(ownedShards);
    }

    /** The shards to run, or null for all of them (as {@code ShardedExchange.start} takes it). */
    public List<Integer> ownedShardsOrAll() {
        return ownedShards.isEmpty() ? null : ownedShards;
    }

    /** Loads from the classpath default and the override file named by the system property or env var. */
    public static ExchangeConfig load() {
        return load(ConfigLoader.fromSystem());
    }

    public static ExchangeConfig load(ConfigLoader loader) {
        Config root = loader.load(RESOURCE, OVERRIDE_PROPERTY, OVERRIDE_ENV);
        ExchangeConfig c = from(root);
        root.rejectUnknownKeys();
        return c;
    }

    /** Reads and validates every key of an exchange config tree. */
    public static ExchangeConfig from(Config root) {
        Config ex = root.section("exchange");
        int shards = ex.intValue("shards", ShardedExchangeOptions.DEFAULT_SHARDS, 1, 64);
        List<Integer> owned = ownedShards(ex.strings("owned_shards"), shards);
        Path dataDir = ex.path("data_dir", null);
        FsyncPolicy fsync = ex.enumValue("fsync", FsyncPolicy.class, ShardedExchangeOptions.DEFAULT_FSYNC);
        int ringSize = ex.intValue("ring_size", ShardedExchangeOptions.DEFAULT_RING_SIZE, 2, 1 << 24);
        if (Integer.bitCount(ringSize) != 1) {
            throw new ConfigException("config key 'exchange.ring_size' has value '" + ringSize
                    + "'; allowed: a power of two in 2..16777216");
        }
        long snapshotEvery = ex.longValue("snapshot_every_commands", ShardedExchangeOptions.DEFAULT_SNAPSHOT_EVERY, 0,
                Long.MAX_VALUE);
        Duration tick = positive(ex, "exchange", "time_tick", Duration.ofSeconds(1));
        Duration snapshotTime = ex.duration("snapshot_every_time",
                Duration.ofMillis(ShardedExchangeOptions.DEFAULT_SNAPSHOT_EVERY_MILLIS));
        if (snapshotTime.isNegative()) {
            throw new ConfigException("config key 'exchange.snapshot_every_time' has value '" + snapshotTime
                    + "'; allowed: a duration >= 0 (0 = by command count only)");
        }

        Config feed = root.section("feed");
        Duration heartbeat = positive(feed, "feed", "heartbeat", Duration.ofSeconds(1));
        boolean jsonEvents = feed.bool("json_events", true);
        Duration window = feed.duration("retention_window", Duration.ofMillis(EventRetention.DEFAULT_WINDOW_MILLIS));
        if (window.isNegative()) {
            throw new ConfigException("config key 'feed.retention_window' has value '" + window
                    + "'; allowed: a duration >= 0");
        }
        EventRetention retention = new EventRetention(window.toMillis(),
                feed.longValue("max_consumer_lag", EventRetention.DEFAULT_MAX_LAG_EVENTS, 1, Long.MAX_VALUE),
                feed.intValue("max_consumers", EventRetention.DEFAULT_MAX_CONSUMERS, 1, 10_000));

        Config cal = root.section("calendar");
        CalendarType type = cal.enumValue("type", CalendarType.class, CalendarType.CONTINUOUS);
        LocalTime dayEnd = cal.time("day_end", ContinuousCalendar.DEFAULT_DAY_END);
        String zoneText = cal.string("zone", ContinuousCalendar.DEFAULT_ZONE.getId());
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneText);
        } catch (DateTimeException e) {
            throw new ConfigException("config key 'calendar.zone' has value '" + zoneText
                    + "'; allowed: a time-zone id such as Asia/Shanghai or UTC");
        }
        List<LocalDate> holidays = cal.dates("holidays");

        Path instruments = root.section("instruments").path("file", null);
        Config sim = root.section("simulator");
        SimulatorOptions simOptions = simulator(sim);
        Duration step = positive(sim, "simulator", "step", Duration.ofMillis(100));
        Config ops = root.section("operations");
        Operations operations = new Operations(ops.string("host", Operations.DEFAULT_HOST),
                ops.intValue("port", Operations.DEFAULT_PORT, 0, 65_535));
        Config fo = root.section("failover");
        Failover failover = new Failover(fo.bool("enabled", false), fo.string("group", ""),
                positive(fo, "failover", "replication_timeout", Failover.OFF.replicationTimeout()),
                positive(fo, "failover", "lock_wait", Failover.OFF.lockWait()),
                positive(fo, "failover", "catch_up_timeout", Failover.OFF.catchUpTimeout()));
        if (!failover.group().isEmpty() && !failover.group().matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException("config key 'failover.group' has value '" + failover.group()
                    + "'; allowed: empty or 1-64 of [A-Za-z0-9._-]");
        }
        if (failover.enabled() && dataDir == null) {
            throw new ConfigException("config key 'failover.enabled' is true but 'exchange.data_dir' is empty;"
                    + " allowed: failover with a data_dir (a standby keeps the leader's journal there)");
        }
        ClusterConfig cluster = ClusterConfig.fromConfig(root.section("cluster"));
        if (failover.enabled() && !root.section("cluster").section("cp").has("priority")) {
            cluster = cluster.withCp(cluster.cp().withPriority(FAILOVER_CP_PRIORITY));
        }
        return new ExchangeConfig(shards, owned, dataDir, fsync, ringSize, snapshotEvery, tick, type, dayEnd, zone, holidays,
                instruments, simOptions, step, snapshotTime, heartbeat, jsonEvents, retention,
                TracingOptions.fromConfig(root.section("tracing"), "sandbox-exchange"), cluster, operations, failover);
    }

    /** The failover group's name: the configured one, or {@code shards-} and the owned shards. */
    public String failoverGroup() {
        if (!failover.group().isEmpty()) {
            return failover.group();
        }
        if (ownedShards.isEmpty()) {
            return "shards-all";
        }
        return "shards-" + String.join("-", ownedShards.stream().map(String::valueOf).toList());
    }

    private static List<Integer> ownedShards(List<String> values, int shards) {
        java.util.TreeSet<Integer> owned = new java.util.TreeSet<>();
        for (String v : values) {
            int shard;
            try {
                shard = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                shard = -1;
            }
            if (shard < 0 || shard >= shards || !owned.add(shard)) {
                throw new ConfigException("config key 'exchange.owned_shards' has value '" + String.join(",", values)
                        + "'; allowed: empty (all shards) or distinct shard numbers in 0.." + (shards - 1));
            }
        }
        return owned.size() == shards ? List.of() : List.copyOf(owned);
    }

    private static SimulatorOptions simulator(Config s) {
        return new SimulatorOptions(
                s.bool("enabled", SimulatorOptions.DEFAULT_ENABLED),
                s.longValue("seed", SimulatorOptions.DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE),
                s.doubleValue("orders_per_second", SimulatorOptions.DEFAULT_ORDERS_PER_SECOND, 0, 1_000),
                s.intValue("makers", SimulatorOptions.DEFAULT_MAKERS, 1, 10),
                s.intValue("levels", SimulatorOptions.DEFAULT_LEVELS, 1, 20),
                s.intValue("spread_steps", SimulatorOptions.DEFAULT_SPREAD_STEPS, 1, 50),
                s.intValue("step_bps", SimulatorOptions.DEFAULT_STEP_BPS, 1, 100),
                s.longValue("level_notional", SimulatorOptions.DEFAULT_LEVEL_NOTIONAL, 1, 1_000_000_000L),
                s.doubleValue("volatility_per_hour", SimulatorOptions.DEFAULT_VOLATILITY_PER_HOUR, 0, 0.5),
                s.doubleValue("fair_value_range", SimulatorOptions.DEFAULT_FAIR_VALUE_RANGE, 0, 0.8),
                s.intValue("noise_traders", SimulatorOptions.DEFAULT_NOISE_TRADERS, 1, 1_000),
                positive(s, "simulator", "noise_order_lifetime",
                        Duration.ofMillis(SimulatorOptions.DEFAULT_NOISE_ORDER_LIFETIME_MILLIS)).toMillis(),
                new HashSet<>(s.strings("disabled_symbols")));
    }

    private static Duration positive(Config c, String section, String key, Duration def) {
        Duration d = c.duration(key, def);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException("config key '" + section + "." + key + "' has value '" + d
                    + "'; allowed: a positive duration");
        }
        return d;
    }

    /** The configured session schedule. */
    public TradingCalendar tradingCalendar() {
        return calendar == CalendarType.A_SHARE ? new AShareCalendar(Set.copyOf(holidays))
                : new ContinuousCalendar(zone, dayEnd);
    }

    /** Checks what needs the loaded universe: every disabled symbol must be an instrument. */
    public void validateAgainst(InstrumentCatalog catalog) {
        for (String s : simulator.disabledSymbols()) {
            if (catalog.get(s) == null) {
                throw new ConfigException("config key 'simulator.disabled_symbols' names '" + s
                        + "'; allowed: symbols of the instrument universe, e.g. " + catalog.all().get(0).symbol());
            }
        }
    }

    /** The runtime's options for this config and universe. */
    public ShardedExchangeOptions runtimeOptions(InstrumentCatalog catalog) {
        return new ShardedExchangeOptions(shards, dataDir, fsync, ringSize, snapshotEveryCommands, catalog,
                tradingCalendar(), null, snapshotEveryTime.toMillis(), retention, null);
    }
}
