package org.opentrade.exchange.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrade.exchange.app.RestingOrderClient.waitFor;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.testing.DayEnds;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.adapter.memory.InMemoryLeadershipRegister;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.domain.failover.LeaderRecord;
import org.opentrade.exchange.model.AccountSnapshot;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.port.EventPublisher;

/**
 * Exchange failover with two whole exchange services on one Vert.x, each with its own data dir, and
 * the leadership register in memory (a stand-in for the CP subsystem; {@code HazelcastLeadershipRegisterIT}
 * runs the real one). A client places resting orders one after another, retrying a refused one with
 * the same order id, as trade-api does. The leader's session then expires while it still runs (a
 * pause or a partition: the harder case than a dead leader): the standby takes over, the old leader is
 * fenced by its next batch, and the standby's data holds every acknowledged order exactly once.
 */
class ExchangeFailoverIT {
    private static final String ACCOUNT = "acct-failover";
    private static final InstrumentCatalog CATALOG = RestingOrderClient.CATALOG;

    private Vertx vertx;
    private final InMemoryLeadershipRegister.Engine engine = new InMemoryLeadershipRegister.Engine();
    private final List<String> fenced = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static ExchangeConfig config(Path dataDir) {
        return ExchangeConfig.load(ConfigLoader.of(env(dataDir), Map.of()));
    }

    private static Map<String, String> env(Path dataDir) {
        return DayEnds.awayFromNow(Map.of("OPENTRADE_EXCHANGE_DATA_DIR", dataDir.toString(),
                "OPENTRADE_EXCHANGE_FSYNC", "none", "OPENTRADE_SIMULATOR_ENABLED", "false",
                "OPENTRADE_EXCHANGE_SHARDS", "2", "OPENTRADE_EXCHANGE_FAILOVER", "true"));
    }

    private ExchangeService service(String process, Path dir) {
        return service(process, config(dir));
    }

    private ExchangeService service(String process, ExchangeConfig config) {
        return new ExchangeService(config, null, v -> engine.view(process), reason -> fenced.add(process));
    }

    /** {@link #config} with {@code failover.replication_timeout} set through an override file. */
    private static ExchangeConfig config(Path dataDir, String replicationTimeout) throws Exception {
        Path override = Files.writeString(dataDir.resolveSibling(dataDir.getFileName() + "-override.yaml"),
                "failover:\n  replication_timeout: " + replicationTimeout + "\n");
        Map<String, String> env = new HashMap<>(env(dataDir));
        env.put(ExchangeConfig.OVERRIDE_ENV, override.toString());
        return ExchangeConfig.load(ConfigLoader.of(env, Map.of()));
    }

    private <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private LeaderRecord record() {
        return LeaderRecord.parse(engine.view("observer").read());
    }

    private static String nodeOf(Path dir) throws Exception {
        return Files.readString(dir.resolve(NodeIdentity.FILE), StandardCharsets.UTF_8).strip();
    }

    @Test
    void aStandbyInSyncTakesOverFromADeposedLeaderAndTheOldLeaderComesBackAsItsStandbyWithoutLosingOrRepeatingAnOrder(
            @TempDir Path a, @TempDir Path b) throws Exception {
        ExchangeService first = service("a", a);
        String firstId = await(vertx.deployVerticle(first));
        waitFor("a leads", Duration.ofSeconds(20), () -> "leader".equals(first.role()) && first.isReady());
        ExchangeService second = service("b", b);
        String secondId = await(vertx.deployVerticle(second));
        waitFor("b stands by", Duration.ofSeconds(20), () -> "standby".equals(second.role()));
        assertFalse(second.isReady(), "a standby takes no commands");
        assertTrue(second.metrics().prometheusText().contains("opentrade_exchange_failover_role{role=\"standby\"} 1"));
        assertTrue(first.metrics().prometheusText().contains("opentrade_exchange_failover_role{role=\"leader\"} 1"));

        RestingOrderClient client = new RestingOrderClient(vertx, ACCOUNT, Duration.ofSeconds(2));
        Thread load = new Thread(client, "failover-client");
        load.start();
        String third;
        try {
            String aNode = nodeOf(a);
            String bNode = nodeOf(b);
            waitFor("b in sync", Duration.ofSeconds(20), () -> bNode.equals(record().inSync()));
            waitFor("orders flow", Duration.ofSeconds(10), () -> client.ackedAt.size() >= 100);

            // 1. The leader's session ends while it keeps running (a long pause, a partition).
            long before = client.ackedAt.size();
            engine.expire("a");
            waitFor("b leads", Duration.ofSeconds(10), () -> "leader".equals(second.role()) && second.isReady());
            waitFor("a fenced", Duration.ofSeconds(10), () -> fenced.contains("a"));
            assertFalse(first.isReady());
            assertEquals(bNode, record().leader());
            waitFor("orders flow on b", Duration.ofSeconds(10), () -> client.ackedAt.size() >= before + 100);

            // 2. The deposed process ends; started again on its data, it may not lead (its journal may hold
            //    commands nobody acknowledged): it moves that data aside and stands by for b.
            await(vertx.undeploy(firstId));
            ExchangeService again = service("a-again", a);
            third = await(vertx.deployVerticle(again));
            waitFor("a stands by again", Duration.ofSeconds(20), () -> "standby".equals(again.role()));
            try (var listing = Files.list(a)) {
                assertTrue(listing.anyMatch(p -> p.getFileName().toString().startsWith("shard-0.replaced-")),
                        "the old data is kept aside");
            }
            waitFor("a in sync", Duration.ofSeconds(20), () -> aNode.equals(record().inSync()));

            // 3. Now b goes: a takes the lead back.
            long before2 = client.ackedAt.size();
            engine.expire("b");
            waitFor("a leads again", Duration.ofSeconds(10), () -> "leader".equals(again.role()) && again.isReady());
            waitFor("b fenced", Duration.ofSeconds(10), () -> fenced.contains("b"));
            waitFor("orders flow on a", Duration.ofSeconds(10), () -> client.ackedAt.size() >= before2 + 100);
            assertEquals(aNode, record().leader());
        } finally {
            client.running = false;
            load.join(10_000);
        }
        long pause = client.longestPauseMillis();
        assertTrue(pause < 2_000, "trading resumed within 2 s: longest pause between acknowledgements " + pause
                + " ms; refusals " + client.answers);
        await(vertx.undeploy(third));
        await(vertx.undeploy(secondId));

        // The last leader's data: every acknowledged order rests exactly once, its feed has no gap.
        try (ShardedExchange recovered = ShardedExchange.start(config(a).runtimeOptions(CATALOG), EventPublisher.NONE)) {
            Map<Long, Integer> resting = new HashMap<>();
            for (AccountSnapshot s : recovered.accountSnapshot(ACCOUNT).toCompletableFuture().get(10, TimeUnit.SECONDS)) {
                s.orders().forEach(o -> resting.merge(o.orderId(), 1, Integer::sum));
            }
            assertTrue(client.ackedAt.size() >= 300);
            for (long id : client.ackedAt.keySet()) {
                assertEquals(1, resting.getOrDefault(id, 0), "acknowledged order " + id + " rests once");
            }
            Map<Long, Integer> accepted = new HashMap<>();
            for (int shard = 0; shard < 2; shard++) {
                long after = recovered.firstKeptSeq(shard) - 1;
                while (true) {
                    FeedBatch page = recovered.replay(shard, after, 1_000);
                    assertTrue(page.code().isOk(), page.toString());
                    for (ExchangeEvent e : page.events()) {
                        assertEquals(after + 1, e.seq(), "gap-free feed on shard " + shard);
                        after = e.seq();
                        if (e.type() == EventType.ACCEPTED && ACCOUNT.equals(e.account())) {
                            assertTrue(resting.containsKey(e.orderId()));
                            accepted.merge(e.orderId(), 1, Integer::sum);
                        }
                    }
                    if (page.events().isEmpty()) {
                        break;
                    }
                }
            }
            assertFalse(accepted.isEmpty());
            accepted.forEach((id, n) -> assertEquals(1, n, "order " + id + " ran once"));
        }
    }

    /** Every event of {@code shard} the feed replays now, from seq 1: fails on a refusal or a gap. */
    private List<ExchangeEvent> feedFromStart(int shard) throws Exception {
        List<ExchangeEvent> out = new java.util.ArrayList<>();
        long after = 0;
        while (true) {
            FeedBatch page = await(vertx.eventBus().<FeedBatch>request(
                    org.opentrade.exchange.client.ExchangeAddresses.FEED_REPLAY,
                    new io.vertx.core.json.JsonObject().put("shard", shard).put("after_seq", after).put("max_events", 5_000)))
                    .body();
            assertTrue(page.isOk(), "shard " + shard + " replays from seq 1: " + page.code() + " " + page.message());
            for (ExchangeEvent e : page.events()) {
                assertEquals(after + 1, e.seq(), "gap-free on shard " + shard);
                after = e.seq();
                out.add(e);
            }
            if (page.events().isEmpty()) {
                return out;
            }
        }
    }

    private static boolean startsAtSeqOne(Path dir, int shard) {
        return Files.exists(dir.resolve("shard-" + shard).resolve("events").resolve("events-00000000000000000001.log"));
    }

    /**
     * A standby that attaches after the leader has traded copies the leader's events from before its images:
     * after a takeover a consumer further behind than the images (trade-api restarting from an old snapshot,
     * say) continues from the feed from seq 1, and those events are the old leader's.
     */
    @Test
    void aStandbyCopiesTheEventsBeforeItsImagesSoAConsumerFurtherBehindContinuesAfterATakeover(@TempDir Path a,
            @TempDir Path b) throws Exception {
        ExchangeService first = service("a", a);
        await(vertx.deployVerticle(first));
        waitFor("a leads", Duration.ofSeconds(20), () -> "leader".equals(first.role()) && first.isReady());
        RestingOrderClient client = new RestingOrderClient(vertx, ACCOUNT, Duration.ofSeconds(2));
        Thread load = new Thread(client, "failover-client");
        load.start();
        List<List<ExchangeEvent>> onA = new java.util.ArrayList<>();
        String secondId;
        ExchangeService second;
        try {
            waitFor("orders before the standby", Duration.ofSeconds(10), () -> client.ackedAt.size() >= 200);
            for (int shard = 0; shard < 2; shard++) {
                onA.add(feedFromStart(shard));
            }
            second = service("b", b);
            secondId = await(vertx.deployVerticle(second));
            String bNode;
            waitFor("b stands by", Duration.ofSeconds(20), () -> "standby".equals(second.role()));
            bNode = nodeOf(b);
            waitFor("b in sync", Duration.ofSeconds(20), () -> bNode.equals(record().inSync()));
            // A durable consumer checkpoints on the leader: the standby holds the same checkpoint (it rides on
            // the standby's check every second), so after the takeover b keeps the history it needs.
            io.vertx.core.json.JsonObject answer = await(vertx.eventBus().<io.vertx.core.json.JsonObject>request(
                    org.opentrade.exchange.client.ExchangeAddresses.FEED_CONSUMERS, new io.vertx.core.json.JsonObject()
                            .put("op", "checkpoint").put("consumer", "failover-probe").put("shard", 0).put("seq", 5)))
                    .body();
            assertEquals(0, answer.getInteger("code"), answer.encode());
            waitFor("b holds the leader's checkpoint", Duration.ofSeconds(10),
                    () -> second.consumerCheckpoints().size() == 2
                            && Long.valueOf(5).equals(second.consumerCheckpoints().get(0).get("failover-probe")));
            waitFor("b copied the events before its images", Duration.ofSeconds(20),
                    () -> startsAtSeqOne(b, 0) && startsAtSeqOne(b, 1));
            long before = client.ackedAt.size();
            engine.expire("a");
            waitFor("b leads", Duration.ofSeconds(10), () -> "leader".equals(second.role()) && second.isReady());
            waitFor("a fenced", Duration.ofSeconds(10), () -> fenced.contains("a"));
            waitFor("orders flow on b", Duration.ofSeconds(10), () -> client.ackedAt.size() >= before + 50);
            assertEquals(5L, second.consumerCheckpoints().get(0).get("failover-probe"), "the new leader's consumers");
        } finally {
            client.running = false;
            load.join(10_000);
        }
        for (int shard = 0; shard < 2; shard++) {
            List<ExchangeEvent> onB = feedFromStart(shard);
            List<ExchangeEvent> earlier = onA.get(shard);
            assertFalse(earlier.isEmpty());
            assertTrue(onB.size() > earlier.size(), "b's feed goes on past what a had: " + onB.size());
            for (int i = 0; i < earlier.size(); i++) {
                ExchangeEvent x = earlier.get(i);
                ExchangeEvent y = onB.get(i);
                assertEquals(x.seq(), y.seq());
                assertEquals(x.type(), y.type(), "event " + x.seq() + " of shard " + shard);
                assertEquals(x.orderId(), y.orderId(), "event " + x.seq() + " of shard " + shard);
                assertEquals(x.qty(), y.qty(), "event " + x.seq() + " of shard " + shard);
                assertEquals(x.timestamp(), y.timestamp(), "event " + x.seq() + " of shard " + shard);
            }
        }
        await(vertx.undeploy(secondId));
    }

    /**
     * A standby attaches while orders flow: the batches the leader sends it while it installs the images
     * wait unanswered until it runs. Installing takes longer than the replication timeout here (50 ms);
     * the standby still comes in sync, as it must with a large book whatever the timeout (a leader that
     * dropped it for those would have it ask for new images again and again).
     */
    @Test
    void aStandbyWhoseInstallOutlastsTheReplicationTimeoutComesInSync(@TempDir Path a,
            @TempDir Path b) throws Exception {
        ExchangeService leader = service("a", config(a, "50ms"));
        await(vertx.deployVerticle(leader));
        waitFor("a leads", Duration.ofSeconds(20), () -> "leader".equals(leader.role()) && leader.isReady());
        RestingOrderClient client = new RestingOrderClient(vertx, ACCOUNT, Duration.ofSeconds(2));
        Thread load = new Thread(client, "failover-client");
        load.start();
        try {
            waitFor("orders flow", Duration.ofSeconds(10), () -> client.ackedAt.size() >= 50);
            ExchangeService standby = service("b", config(b, "50ms"));
            await(vertx.deployVerticle(standby));
            String bNode = nodeOf(b);
            waitFor("b in sync", Duration.ofSeconds(20), () -> bNode.equals(record().inSync()));
            // Before the fix b was dropped during every install and never came in sync (five images in 20 s).
            // Once in sync, a pause over 50 ms of this loaded JVM may drop it and it attaches again: not counted.
            long images = standby.metrics().prometheusText().lines()
                    .filter(l -> l.startsWith("opentrade_exchange_failover_images_installed_total "))
                    .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
            assertTrue(images >= 1 && images <= 2, "b's attachments until in sync: " + images);
            int before = client.ackedAt.size();
            waitFor("orders flow with b in sync", Duration.ofSeconds(10), () -> client.ackedAt.size() >= before + 50);
        } finally {
            client.running = false;
            load.join(10_000);
        }
    }

    @Test
    void whenTheStandbyGoesTheLeaderWritesItOutOfTheRecordAndTradesOnAlone(@TempDir Path a, @TempDir Path b)
            throws Exception {
        ExchangeService leader = service("a", a);
        await(vertx.deployVerticle(leader));
        waitFor("a leads", Duration.ofSeconds(20), () -> "leader".equals(leader.role()) && leader.isReady());
        ExchangeService standby = service("b", b);
        String standbyId = await(vertx.deployVerticle(standby));
        RestingOrderClient client = new RestingOrderClient(vertx, ACCOUNT, Duration.ofSeconds(2));
        Thread load = new Thread(client, "failover-client");
        load.start();
        try {
            String bNode = nodeOf(b);
            waitFor("b in sync", Duration.ofSeconds(20), () -> bNode.equals(record().inSync()));
            waitFor("orders flow", Duration.ofSeconds(10), () -> client.ackedAt.size() >= 50);
            await(vertx.undeploy(standbyId));
            waitFor("b written out", Duration.ofSeconds(10), () -> record().inSync() == null);
            int before = client.ackedAt.size();
            waitFor("orders flow on a alone", Duration.ofSeconds(10), () -> client.ackedAt.size() >= before + 50);
        } finally {
            client.running = false;
            load.join(10_000);
        }
        assertEquals(nodeOf(a), record().leader());
        assertTrue(leader.isReady());
        assertTrue(fenced.isEmpty(), "nobody was fenced: " + fenced);
        assertTrue(client.longestPauseMillis() < 2_000, "pause " + client.longestPauseMillis() + " ms");
    }
}
