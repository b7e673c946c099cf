package org.opentrade.exchange.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.exchange.app.RestingOrderClient.waitFor;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.cluster.ClusterConfig;
import org.opentrade.common.cluster.ClusterCp;
import org.opentrade.common.cluster.ClusterTls;
import org.opentrade.common.cluster.ClusteredVertx;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.common.testing.LoopbackPorts;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.adapter.hazelcast.HazelcastLeadershipRegister;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.domain.failover.LeaderRecord;
import org.opentrade.exchange.client.feed.FeedConsumer;
import org.opentrade.exchange.client.feed.FeedConsumerOptions;
import org.opentrade.exchange.client.feed.FeedHandler;
import org.opentrade.exchange.client.feed.eventbus.FeedConsumers;
import org.opentrade.exchange.model.AccountSnapshot;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.port.EventPublisher;
import org.opentrade.exchange.port.LeadershipRegister;

/**
 * Exchange failover across processes, as it runs in distributed mode: two standalone exchanges
 * ({@link ExchangeMain}, own data dirs, {@code failover.enabled}) and this JVM, the third member of the
 * Hazelcast cluster and of its CP subsystem, placing orders over the clustered event bus. The leader is
 * killed with SIGKILL under load; the standby takes over through the CP subsystem's fenced lock, and
 * its data holds every acknowledged order exactly once.
 */
class ExchangeFailoverProcessIT {
    private static final String ACCOUNT = "acct-kill";
    private static final String GROUP = "it";
    private static final InstrumentCatalog CATALOG = RestingOrderClient.CATALOG;

    private final List<Process> processes = new ArrayList<>();
    private final List<Exchange> exchanges = new ArrayList<>();
    private Vertx vertx;

    @AfterEach
    void stop() throws Exception {
        processes.forEach(Process::destroyForcibly);
        for (int i = 0; i < exchanges.size(); i++) {
            // what each exchange logged, for the report of a failed run
            System.out.println("---- exchange " + i + " ----");
            exchanges.get(i).log.forEach(System.out::println);
        }
        if (vertx != null) {
            // Leaving gracefully would first hand this member's CP seats over, which needs a majority the
            // killed members took with them: end the member at once instead.
            ClusteredVertx.hazelcastOf(vertx).getLifecycleService().terminate();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** An exchange process and what it logged. */
    private final class Exchange {
        final Process process;
        final List<String> log = new CopyOnWriteArrayList<>();

        Exchange(Path dir, String cluster, String members, int port) throws IOException {
            Files.createDirectories(dir);
            Path yaml = dir.resolve("exchange-it.yaml");
            Files.writeString(yaml, String.join("\n",
                    "exchange:", "  shards: 2", "  data_dir: " + dir.resolve("data"), "  fsync: none",
                    "simulator:", "  enabled: false",
                    "failover:", "  enabled: true", "  group: " + GROUP,
                    "operations:", "  port: 0",
                    "cluster:", "  name: " + cluster, "  members: " + members, "  host: 127.0.0.1",
                    "  port: " + port, "  port_auto_increment: false", "  member_timeout: 2s",
                    "  cp:", "    members: 3", "    session_ttl: 2s", "    session_heartbeat: 1s", ""));
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), ExchangeMain.class.getName());
            pb.environment().put("OPENTRADE_EXCHANGE_CONFIG", yaml.toString());
            pb.environment().put(DayEnds.ENV, DayEnds.awayFromNow());
            pb.redirectErrorStream(true);
            process = pb.start();
            processes.add(process);
            exchanges.add(this);
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        log.add(l);
                    }
                } catch (IOException ignored) {
                    // killed
                }
            }, "exchange-log");
            t.setDaemon(true);
            t.start();
        }

        boolean logged(String text) {
            return log.stream().anyMatch(l -> l.contains(text));
        }
    }

    /** A feed consumer's handler: every event of both shards, checked gap-free as it comes. */
    private static final class FeedLog implements FeedHandler {
        final long[] position = new long[2];
        final List<String> problems = new CopyOnWriteArrayList<>();
        final Map<Long, Integer> accepted = new ConcurrentHashMap<>();

        @Override
        public synchronized long position(int shard) {
            return position[shard];
        }

        @Override
        public synchronized void onEvent(ExchangeEvent e) {
            if (e.seq() != position[e.shard()] + 1) {
                problems.add("shard " + e.shard() + ": seq " + e.seq() + " after " + position[e.shard()]);
            }
            position[e.shard()] = e.seq();
            if (e.type() == EventType.ACCEPTED && ACCOUNT.equals(e.account())) {
                accepted.merge(e.orderId(), 1, Integer::sum);
            }
        }

        @Override
        public void onFailure(int shard, long seq, Throwable cause) {
            problems.add("shard " + shard + " failed at " + seq + ": " + cause);
        }
    }

    @Test
    void killingTheLeaderUnderLoadLosesNoAcknowledgedOrderAndRunsNoneTwice(@TempDir Path dir) throws Exception {
        String cluster = "failover-it-" + ProcessHandle.current().pid();
        int[] ports = {LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free()};
        String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
        ClusterConfig mine = new ClusterConfig(cluster, List.of(members.split(",")), "127.0.0.1", null, ports[2], false,
                Duration.ofSeconds(2), 0, ClusterTls.OFF, new ClusterCp(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        // The CP subsystem forms once its three members are up: both exchanges and this JVM.
        Exchange first = new Exchange(dir.resolve("a"), cluster, members, ports[0]);
        Exchange second = new Exchange(dir.resolve("b"), cluster, members, ports[1]);
        vertx = ClusteredVertx.join(mine, new VertxOptions(), Duration.ofSeconds(60));
        waitFor("one leads", Duration.ofSeconds(60),
                () -> first.logged("leads group " + GROUP) || second.logged("leads group " + GROUP));
        Exchange a = first.logged("leads group " + GROUP) ? first : second;
        Exchange b = a == first ? second : first;
        Path bDir = a == first ? dir.resolve("b") : dir.resolve("a");
        waitFor("the other stands by", Duration.ofSeconds(60), () -> b.logged("standing by for group " + GROUP));
        String bNode = Files.readString(bDir.resolve("data/node-id")).strip();
        LeadershipRegister register = HazelcastLeadershipRegister.open(
                ((io.vertx.spi.cluster.hazelcast.HazelcastClusterManager)
                        ((io.vertx.core.internal.VertxInternal) vertx).clusterManager()).getHazelcastInstance(), GROUP);

        FeedLog feed = new FeedLog();
        FeedConsumer consumer = FeedConsumers.onEventBus(vertx, feed, FeedConsumerOptions.defaults()
                .withRetry(50, 500));
        consumer.start();
        RestingOrderClient client = new RestingOrderClient(vertx, ACCOUNT, Duration.ofSeconds(1));
        Thread load = new Thread(client, "failover-client");
        load.start();
        long killedAt;
        long ledAt;
        try {
            waitFor("b in sync", Duration.ofSeconds(30),
                    () -> bNode.equals(LeaderRecord.parse(register.read()).inSync()));
            waitFor("orders flow", Duration.ofSeconds(20), () -> client.ackedAt.size() >= 200);
            int before = client.ackedAt.size();
            a.process.destroyForcibly(); // SIGKILL
            killedAt = System.nanoTime();
            waitFor("b leads", Duration.ofSeconds(30), () -> b.logged("leads group " + GROUP));
            ledAt = System.nanoTime();
            waitFor("orders flow on b", Duration.ofSeconds(30), () -> client.ackedAt.size() >= before + 200);
        } finally {
            client.running = false;
            load.join(10_000);
        }
        long pause = client.longestPauseMillis();
        long firstAckAfterLead = client.ackedAt.values().stream().filter(t -> t > ledAt).min(Long::compare).orElseThrow();
        System.out.println("FAILOVER: longest pause between acknowledgements " + pause + " ms; the standby logged its"
                + " lead " + TimeUnit.NANOSECONDS.toMillis(ledAt - killedAt) + " ms after the kill, the first"
                + " acknowledgement after that came " + TimeUnit.NANOSECONDS.toMillis(firstAckAfterLead - ledAt)
                + " ms later; one order's round trip (median) " + client.medianMicros(Long.MIN_VALUE, killedAt)
                + " µs with the standby in sync, " + client.medianMicros(firstAckAfterLead, Long.MAX_VALUE)
                + " µs after the takeover (no standby); "
                + client.ackedAt.size() + " orders acknowledged; " + client.answers.size()
                + " refused or unanswered tries");
        assertEquals(bNode, LeaderRecord.parse(register.read()).leader());
        assertTrue(pause < 10_000, "trading resumed after the kill: longest pause " + pause + " ms");
        register.close();

        // The feed consumer follows the new leader up to its head, then b is killed too.
        JsonObject info = vertx.eventBus().<JsonObject>request(ExchangeAddresses.FEED_INFO, new JsonObject())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
        for (int shard = 0; shard < 2; shard++) {
            int s = shard;
            long head = info.getJsonArray("head_seq").getLong(shard);
            waitFor("the consumer reaches shard " + shard + "'s head " + head, Duration.ofSeconds(20),
                    () -> feed.position(s) >= head);
        }
        consumer.stop();
        b.process.destroyForcibly();
        assertTrue(b.process.waitFor(30, TimeUnit.SECONDS));
        try (ShardedExchange recovered = ShardedExchange.start(ExchangeConfig.load(
                org.opentrade.common.config.ConfigLoader.of(Map.of("OPENTRADE_EXCHANGE_DATA_DIR",
                        bDir.resolve("data").toString(), "OPENTRADE_EXCHANGE_SHARDS", "2"), Map.of()))
                .runtimeOptions(CATALOG), EventPublisher.NONE)) {
            Map<Long, Integer> resting = new HashMap<>();
            for (AccountSnapshot s : recovered.accountSnapshot(ACCOUNT).toCompletableFuture().get(10, TimeUnit.SECONDS)) {
                s.orders().forEach(o -> resting.merge(o.orderId(), 1, Integer::sum));
            }
            for (long id : client.ackedAt.keySet()) {
                assertEquals(1, resting.getOrDefault(id, 0), "acknowledged order " + id + " rests once");
            }
            // The feed consumer followed both leaders: every event once, in order.
            assertEquals(List.of(), feed.problems);
            assertEquals(resting.keySet(), feed.accepted.keySet(), "the feed carried every resting order");
            feed.accepted.forEach((id, n) -> assertEquals(1, n, "order " + id + " accepted once on the feed"));
        }
    }
}
