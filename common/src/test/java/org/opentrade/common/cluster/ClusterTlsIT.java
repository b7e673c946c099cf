package org.opentrade.common.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.discovery.ServiceInstance;
import org.opentrade.common.discovery.ServiceInstances;
import org.opentrade.common.discovery.cluster.ClusterDiscovery;
import org.opentrade.common.discovery.cluster.HazelcastServiceDiscovery;
import org.opentrade.common.testing.LoopbackPorts;

/**
 * Mutual TLS on the clustered event bus between real Hazelcast members on 127.0.0.1 (free ports,
 * a cluster name of its own): two members with certificates from the cluster CA ({@code alpha},
 * {@code beta}) and two that join the same Hazelcast cluster without one, as open-source Hazelcast
 * lets any process that knows the name and reaches a member: {@code plain} (no TLS at all) and
 * {@code foreign} (TLS with a certificate from another CA, trusting that CA). Certificates are made
 * by openssl for the test ({@link TestPki}).
 *
 * <p>Each refusal is shown only after the sender provably knows of the handler (its registration is
 * in the sender's view of the cluster), so a failure cannot come from a registration not yet seen.
 */
class ClusterTlsIT {
    private static final Duration JOIN = Duration.ofSeconds(60);
    /** A refused message's request fails or times out within this. */
    private static final long SEND_TIMEOUT_MS = 2_000;
    private static final List<Vertx> started = new ArrayList<>();
    private static final AtomicInteger addresses = new AtomicInteger();

    @TempDir
    static Path dir;
    private static Vertx alpha;
    private static Vertx beta;
    private static Vertx plain;
    private static Vertx foreign;

    @BeforeAll
    static void startMembers() throws Exception {
        TestPki ca = TestPki.create(dir.resolve("ca"), "OpenTrade test cluster CA");
        TestPki otherCa = TestPki.create(dir.resolve("other-ca"), "another CA");
        Path password = TestPki.passwordFile(dir.resolve("password"), UUID.randomUUID().toString());
        ClusterTls alphaTls = ClusterTls.load(ca.issue("alpha", password), password, ca.trustStore(password), null);
        ClusterTls betaTls = ClusterTls.load(ca.issue("beta", password), password, ca.caPem(), null);
        ClusterTls foreignTls = ClusterTls.load(otherCa.issue("foreign", password), password, otherCa.caPem(), null);

        String name = "ot-tls-" + UUID.randomUUID().toString().substring(0, 8);
        int[] ports = {LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free()};
        List<String> members = new ArrayList<>();
        for (int p : ports) {
            members.add("127.0.0.1:" + p);
        }
        alpha = join(member(name, members, ports[0]).withTls(alphaTls));
        beta = join(member(name, members, ports[1]).withTls(betaTls));
        plain = join(member(name, members, ports[2]));
        foreign = join(member(name, members, ports[3]).withTls(foreignTls));
    }

    private static ClusterConfig member(String name, List<String> members, int port) {
        return new ClusterConfig(name, members, "127.0.0.1", null, port, false, Duration.ofSeconds(5), 0);
    }

    private static Vertx join(ClusterConfig c) throws Exception {
        Vertx v = ClusteredVertx.join(c, new VertxOptions(), JOIN);
        started.add(v);
        return v;
    }

    @AfterAll
    static void stop() throws Exception {
        for (Vertx v : started) {
            v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void uncertifiedProcessesJoinHazelcastItselfWhichAuthenticatesNoMember() {
        // The residual risk this class bounds: open-source Hazelcast admits every member that knows
        // the cluster name. All four see each other.
        for (Vertx v : List.of(alpha, beta, plain, foreign)) {
            assertEquals(4, hazelcast(v).getCluster().getMembers().size());
        }
    }

    @Test
    void certifiedMembersAnswerEachOthersRequests() throws Exception {
        String address = address();
        await(alpha.eventBus().consumer(address, m -> m.reply("alpha: " + m.body())));
        String other = address();
        await(beta.eventBus().consumer(other, m -> m.reply("beta: " + m.body())));
        awaitKnown(beta, address, alpha);
        awaitKnown(alpha, other, beta);
        assertEquals("alpha: hello", request(beta, address, "hello"));
        assertEquals("beta: hi", request(alpha, other, "hi"));
    }

    @Test
    void aMemberWithoutACertificateCannotReachAHandlerOnACertifiedMember() throws Exception {
        assertRefusedFrom(plain);
    }

    @Test
    void aMemberWithACertificateFromAnotherCaCannotReachAHandlerOnACertifiedMember() throws Exception {
        assertRefusedFrom(foreign);
    }

    @Test
    void aCertifiedMemberDeliversNothingToAHandlerOnAMemberWithoutACertificate() throws Exception {
        assertNothingDeliveredTo(plain);
    }

    @Test
    void aCertifiedMemberDeliversNothingToAHandlerOnAMemberWithACertificateFromAnotherCa() throws Exception {
        assertNothingDeliveredTo(foreign);
    }

    @Test
    void aRogueMemberCannotMakeACertifiedOneDeserializeOrRunItsTask() throws Exception {
        // An executor task is Java-serialized; alpha's Hazelcast allows only its own and the JDK's
        // classes, so the task is refused before it exists on alpha, let alone runs.
        HazelcastInstance rogue = hazelcast(plain);
        Member target = hazelcast(alpha).getCluster().getLocalMember();
        Future<String> result = rogue.getExecutorService("ot-tls-probe").submitToMember(new Probe(), target);
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(30, TimeUnit.SECONDS));
        assertTrue(causes(e).contains("is not allowed"), causes(e));
        assertEquals(0, Probe.RUNS.get(), "the rogue's task never ran");
    }

    /**
     * The registry the gateways route by lives in Hazelcast, which the rogue can write: its entries
     * (one naming itself, one naming alpha) and an instance announced through discovery by the
     * member with another CA's certificate are never used, nor is a real instance's entry that the
     * rogue points at another port; the real one, confirmed by alpha over the certified bus, is.
     */
    @Test
    void theRegistryUsesOnlyEntriesTheirMemberConfirmsOverTheCertifiedBus() throws Exception {
        Duration resync = Duration.ofMillis(300);
        HazelcastServiceDiscovery announcer = await(ClusterDiscovery.start(alpha, resync).toCompletionStage());
        HazelcastServiceDiscovery watcher = await(ClusterDiscovery.start(beta, resync).toCompletionStage());
        HazelcastServiceDiscovery foreignDiscovery = await(ClusterDiscovery.start(foreign, resync).toCompletionStage());
        String service = "ot-tls-svc-" + addresses.incrementAndGet();
        List<ServiceInstances> seen = new CopyOnWriteArrayList<>();
        await(watcher.watch(service, (current, changes) -> seen.add(current)));

        ServiceInstance real = ServiceInstance.of(service, service + "-real", "127.0.0.1", 4444);
        await(announcer.announce(real));
        IMap<String, HazelcastJsonValue> registry = hazelcast(plain).getMap(HazelcastServiceDiscovery.MAP_NAME);
        String rogueMember = hazelcast(plain).getCluster().getLocalMember().getUuid().toString();
        registry.set(service + "-own", entry(service, service + "-own", 1111, rogueMember));
        registry.set(service + "-alpha", entry(service, service + "-alpha", 2222, announcer.localMember()));
        await(foreignDiscovery.announce(ServiceInstance.of(service, service + "-foreign", "127.0.0.1", 3333)));
        Set<String> rogues = Set.of(service + "-own", service + "-alpha", service + "-foreign");
        awaitCondition("the rogue entries refused and the real one used", () ->
                await(watcher.refused()).containsAll(rogues) && onlyReal(seen, real));

        // The rogue redirects the real instance: the watcher drops it until alpha's resync puts back
        // its own entry, which alpha confirms again.
        registry.set(real.instanceId(), entry(service, real.instanceId(), 5555, announcer.localMember()));
        awaitCondition("the real entry restored and used", () -> onlyReal(seen, real)
                && entry(service, real.instanceId(), 4444, announcer.localMember()).equals(registry.get(real.instanceId())));
        for (ServiceInstances s : seen) {
            for (ServiceInstance i : s.all()) {
                assertEquals(real, i, "the watcher never used anything but the real instance: " + s.all());
            }
        }
        await(announcer.close());
        await(watcher.close());
        await(foreignDiscovery.close());
    }

    private static boolean onlyReal(List<ServiceInstances> seen, ServiceInstance real) {
        return !seen.isEmpty() && seen.get(seen.size() - 1).all().equals(List.of(real));
    }

    /** A registry entry as a rogue writes it: the map's JSON format, naming any member. */
    private static HazelcastJsonValue entry(String service, String id, int port, String member) {
        return new HazelcastJsonValue(new JsonObject().put("service", service).put("instance_id", id)
                .put("host", "127.0.0.1").put("port", port).put("weight", 1).put("draining", false)
                .put("partition", 0).put("member", member).encode());
    }

    /** A task class on every member's class path, as a gadget would be. */
    static final class Probe implements Callable<String>, Serializable {
        static final AtomicInteger RUNS = new AtomicInteger();
        private static final long serialVersionUID = 1L;

        @Override
        public String call() {
            RUNS.incrementAndGet();
            return "ran";
        }
    }

    /** {@code rogue} sends, requests and publishes to a handler on alpha: none arrives. */
    private static void assertRefusedFrom(Vertx rogue) throws Exception {
        String address = address();
        List<Object> received = new ArrayList<>();
        MessageConsumer<Object> consumer = alpha.eventBus().consumer(address, m -> {
            synchronized (received) {
                received.add(m.body());
            }
            m.reply("accepted " + m.body());
        });
        await(consumer);
        awaitKnown(rogue, address, alpha);
        rogue.eventBus().send(address, "rogue send");
        rogue.eventBus().publish(address, "rogue publish");
        Throwable refused = assertThrows(ExecutionException.class, () -> request(rogue, address, "rogue request"));
        assertRouted(refused);
        // The handler works: a certified member's request is answered, after the rogue's were sent.
        awaitKnown(beta, address, alpha);
        assertEquals("accepted beta", request(beta, address, "beta"));
        synchronized (received) {
            assertEquals(List.of("beta"), received, "nothing from the rogue reached alpha's handler (" + causes(refused) + ")");
        }
        await(consumer.unregister());
    }

    /** alpha sends, requests and publishes to a handler registered only on {@code rogue}: none arrives. */
    private static void assertNothingDeliveredTo(Vertx rogue) throws Exception {
        String address = address();
        AtomicInteger received = new AtomicInteger();
        MessageConsumer<Object> consumer = rogue.eventBus().consumer(address, m -> {
            received.incrementAndGet();
            m.reply("rogue got " + m.body());
        });
        await(consumer);
        awaitKnown(alpha, address, rogue);
        alpha.eventBus().send(address, "alpha send");
        alpha.eventBus().publish(address, "alpha publish");
        assertRouted(assertThrows(ExecutionException.class, () -> request(alpha, address, "alpha request")));
        // The handler works for a sender that can reach it: the rogue itself, locally.
        assertEquals("rogue got self", request(rogue, address, "self"));
        assertEquals(1, received.get(), "only the rogue's own message reached its handler");
        await(consumer.unregister());
    }

    // ----- helpers -----

    /** The request was sent towards the handler's member and failed there, not for want of a handler. */
    private static void assertRouted(Throwable failure) {
        if (failure.getCause() instanceof ReplyException r) {
            assertNotEquals(ReplyFailure.NO_HANDLERS, r.failureType(), "the sender knew the handler: " + causes(failure));
        }
    }

    private static String address() {
        return "ot.tls.it." + addresses.incrementAndGet();
    }

    private static String request(Vertx from, String address, String body) throws Exception {
        return (String) from.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MS))
                .toCompletionStage().toCompletableFuture().get(SEND_TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS).body();
    }

    /** Waits until {@code sender}'s view of the cluster lists {@code owner}'s handler at {@code address}. */
    private static void awaitKnown(Vertx sender, String address, Vertx owner) throws Exception {
        String ownerNode = manager(owner).getNodeId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            Promise<List<RegistrationInfo>> p = Promise.promise();
            manager(sender).getRegistrations(address, p);
            List<RegistrationInfo> seen = p.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (seen.stream().anyMatch(r -> r.nodeId().equals(ownerNode))) {
                return;
            }
            assertFalse(System.nanoTime() > deadline, "the sender never saw the handler at " + address + ": " + seen);
            Thread.sleep(20); // polling the sender's view of the registrations, with a deadline; not a fixed wait
        }
    }

    private static void await(MessageConsumer<?> consumer) throws Exception {
        consumer.completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void await(io.vertx.core.Future<?> f) throws Exception {
        f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitCondition(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.holds()) {
            assertFalse(System.nanoTime() > deadline, "timed out waiting for " + what);
            Thread.sleep(50); // polling the watcher's state, with a deadline; not a fixed wait
        }
    }

    private static String causes(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(" / ");
        }
        return s.toString();
    }

    private static HazelcastClusterManager manager(Vertx v) {
        return (HazelcastClusterManager) ((VertxInternal) v).clusterManager();
    }

    private static HazelcastInstance hazelcast(Vertx v) {
        return manager(v).getHazelcastInstance();
    }
}
