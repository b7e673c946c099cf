package org.opentrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 8, on the multi-process setup: {@code run-distributed.sh} with
 * {@code OPENTRADE_DIST_EXCHANGES=failover} (the one shard in a leader and a standby; nine JVMs), an
 * order every 100 ms through a gateway, each on a connection of its own, and a kill -9 of the leading
 * exchange. Every order sent is in the account exactly once, and settled (none left {@code pending_new}),
 * whether it was acknowledged before, during or after the takeover; every acknowledged one keeps its id;
 * orders sent once the standby serves are acknowledged. Trading must resume before the last order: the time
 * from the kill to the first order sent after it of an unbroken run of first answers that are not 503 or 504
 * (a 429 of the key's order rate is neither) is reported, not asserted (timings on two shared cores).
 * After DistributedFaultIT (which stops the shared topology), so two topologies never run at once.
 */
@Order(3)
class DistributedFailoverIT {
    private static final String SYMBOL = "600000.SH";

    /** One order: when it was first sent, its first answer and its last (a client retries with the same id). */
    private record Sent(String clientOrderId, long sentNanos, CompletableFuture<Answers> answers) {
    }

    private record Answers(int firstStatus, int firstErrorNo, int tries, HttpResponse<String> last) {
    }

    @Test
    void killingTheLeadingExchangeLosesNoOrderAndTradingResumesOnTheStandby() throws Exception {
        try (DistributedTopology topology = DistributedTopology.start("distributed-failover-it", Map.of(
                "OPENTRADE_DIST_EXCHANGES", "failover", "OPENTRADE_DIST_TRADE_STANDBY", "off"))) {
            long startedAt = System.nanoTime();
            String gateway = topology.url("GATEWAY_1_PORT");
            Map<String, String> key = key(topology, gateway);
            // The steady state: Hazelcast moves the CP groups' Raft leadership off the exchanges (cluster.cp.priority)
            // every ClusteredVertx.CP_LEADERSHIP_REBALANCE_SECONDS; right after the start the leading exchange may
            // still lead the lock's group, and its death then costs an election first. Two periods, then the load.
            long rebalanced = startedAt + TimeUnit.SECONDS.toNanos(2L * org.opentrade.common.cluster.ClusteredVertx.CP_LEADERSHIP_REBALANCE_SECONDS + 1);
            while (System.nanoTime() < rebalanced) {
                Thread.sleep(100); // waiting out the CP rebalance period, bounded by it
            }
            String leader = ready(topology, "EXCHANGE_OPS_PORT") ? "exchange" : "exchange-2";
            String standby = leader.equals("exchange") ? "exchange-2" : "exchange";
            assertTrue(ready(topology, leader.equals("exchange") ? "EXCHANGE_OPS_PORT" : "EXCHANGE_2_OPS_PORT"),
                    "one exchange leads");

            List<Sent> sent = new ArrayList<>();
            java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(32);
            long killedAt = 0;
            for (int i = 0; i < 100; i++) { // 3 s before the kill, 7 s after
                if (i == 30) {
                    killedAt = System.nanoTime();
                    topology.kill(leader);
                }
                String cid = "fo-" + UUID.randomUUID().toString().substring(0, 8) + "-" + i;
                JsonObject order = new JsonObject().put("client_order_id", cid).put("symbol", SYMBOL).put("side", "buy")
                        .put("type", "market").put("qty", 100);
                sent.add(new Sent(cid, System.nanoTime(), CompletableFuture.supplyAsync(() -> place(gateway, key, order),
                        clients)));
                Thread.sleep(100); // the load's pace: one order every 100 ms
            }
            Map<String, Integer> firstAnswers = new HashMap<>();
            int retried = 0;
            long resumedAt = -1;
            for (Sent s : sent) {
                Answers a = s.answers().get(60, TimeUnit.SECONDS);
                firstAnswers.merge(a.firstStatus() + (a.firstErrorNo() != 0 ? " " + a.firstErrorNo() : ""), 1, Integer::sum);
                retried += a.tries() > 1 ? 1 : 0;
                assertTrue(a.last().statusCode() == 201 || a.last().statusCode() == 200,
                        "an order is acknowledged in the end (the client retries with its id): " + a.last().body());
                if (s.sentNanos() > killedAt) {
                    // Trading has resumed from the first order after the kill whose first answer, and every later
                    // one's, was not the trading path's 503 -9001 or 504 -9002. A 429 of the key's order rate per
                    // symbol (spent by the other clients' retries after the outage: it failed a run on a loaded
                    // machine) says nothing about the standby, nor does the gateway's 503 -3003, its Redis limiter
                    // not answering within its 200 ms command timeout (orders fail closed). A clean-clone run on a
                    // loaded machine failed with first answers {201=80, 504 -9002=19, 503 -3003=1}: the standby
                    // led 1.9 s after the kill (19 orders at 100 ms apart), so the one -3003 came after it. Such
                    // an order is acknowledged in the end like every other (asserted above).
                    boolean unavailable = a.firstStatus() == 504
                            || (a.firstStatus() == 503 && a.firstErrorNo() != org.opentrade.gateway.domain.GatewayError.LIMITER_UNAVAILABLE.code());
                    resumedAt = unavailable ? -1 : (resumedAt < 0 ? s.sentNanos() : resumedAt);
                }
            }
            clients.shutdown();
            assertTrue(resumedAt > 0, "orders are acknowledged again on the standby: " + firstAnswers);
            assertTrue(ready(topology, standby.equals("exchange") ? "EXCHANGE_OPS_PORT" : "EXCHANGE_2_OPS_PORT"),
                    "the standby leads");

            // Every order sent is there once, and settled: the exchange had it (acknowledged, or resent after a
            // barrier when the dead leader never did), or refused it; none is left pending_new.
            Map<String, JsonObject> byClientId = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                byClientId.clear();
                for (JsonObject o : orders(gateway, key)) {
                    assertEquals(null, byClientId.put(o.getString("client_order_id"), o), "one order per client id: " + o);
                }
                boolean settled = sent.stream().allMatch(s -> byClientId.containsKey(s.clientOrderId())
                        && !"pending_new".equals(byClientId.get(s.clientOrderId()).getString("status")));
                if (settled || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(500); // polling for the settlement, with a deadline
            }
            for (Sent s : sent) {
                JsonObject o = byClientId.get(s.clientOrderId());
                assertNotNull(o, "order " + s.clientOrderId() + " is in the account");
                assertTrue(!"pending_new".equals(o.getString("status")), "settled: " + o.encode());
                assertTrue(o.getLong("filled_qty") <= 100, "executed at most once: " + o.encode());
                HttpResponse<String> r = s.answers().get().last();
                if (r.statusCode() == 201 || r.statusCode() == 200) {
                    assertEquals(new JsonObject(r.body()).getString("order_id"), o.getString("order_id"), o.encode());
                }
            }
            System.out.println("FAILOVER (distributed): " + sent.size() + " orders, one every 100 ms, the leading " + leader
                    + " killed at order 30; first answers " + firstAnswers + ", " + retried + " retried with their id;"
                    + " every order sent from " + TimeUnit.NANOSECONDS.toMillis(resumedAt - killedAt)
                    + " ms after the kill on was answered at its first try without a 503 or 504; all " + sent.size()
                    + " in the account once, none pending");
            // Done with the topology. Its graceful stop is not under test here (DistributedFaultIT checks it), and
            // after the kill it is slow: a CP member's graceful leave waits for a Raft change that needs the dead
            // exchange (Hazelcast gives up after ClusteredVertx.GRACEFUL_LEAVE), then the last exchange's unlock
            // waits for a majority it cannot have: about 30 s of the suite.
            topology.killAll();
        }
    }

    /**
     * Places {@code order} as a client does: a 504 (status unknown), a 503 (the gateway or trade-api
     * refusing for now) or a 429 (many clients' retries at once spend the key's order rate per symbol) is sent
     * again with the same {@code client_order_id} after its Retry-After (200 ms without one), for up to 30 s;
     * trade-api answers a known id with the order (200), so none is placed twice.
     */
    private static Answers place(String gateway, Map<String, String> key, JsonObject order) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int first = 0;
        int firstErrorNo = 0;
        int tries = 0;
        while (true) {
            HttpResponse<String> r;
            try {
                tries++;
                r = DistributedHttp.send("POST", gateway + "/v1/orders", key, order, Duration.ofSeconds(20));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (first == 0) {
                first = r.statusCode();
                firstErrorNo = r.statusCode() >= 400 ? new JsonObject(r.body()).getInteger("error_no", 0) : 0;
            }
            boolean again = r.statusCode() == 503 || r.statusCode() == 504 || r.statusCode() == 429;
            if (!again || System.nanoTime() > deadline) {
                return new Answers(first, firstErrorNo, tries, r);
            }
            try {
                // A client's pause before it retries: Retry-After when the answer has one (a 429 for the order
                // rate its own retries spent, a 503 shedding), else 200 ms.
                long retryAfterMs = r.headers().firstValue("Retry-After").map(v -> {
                    try {
                        return Math.min(5_000L, Long.parseLong(v.trim()) * 1_000);
                    } catch (NumberFormatException e) {
                        return 200L;
                    }
                }).orElse(200L);
                Thread.sleep(Math.max(200, retryAfterMs));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answers(first, firstErrorNo, tries, r);
            }
        }
    }

    private static boolean ready(DistributedTopology topology, String portName) {
        return DistributedHttp.ready(topology.url(portName));
    }

    /** A developer with a trading key on the pro plan (its order rate covers the test's). */
    private static Map<String, String> key(DistributedTopology topology, String gateway) throws Exception {
        JsonObject k = DistributedHttp.developerWithKey(gateway, "failover", List.of("trade"));
        HttpResponse<String> plan = send("PUT", gateway + "/v1/admin/keys/" + k.getString("key_id") + "/plan",
                Map.of("X-Admin-Token", topology.secret("admin-token")), new JsonObject().put("plan", "pro"));
        assertEquals(200, plan.statusCode(), plan.body());
        return Map.of("X-API-Key", k.getString("key_id"), "X-API-Secret", k.getString("secret"));
    }

    private static List<JsonObject> orders(String gateway, Map<String, String> key) throws Exception {
        List<JsonObject> out = new ArrayList<>();
        String cursor = null;
        do {
            String url = gateway + "/v1/orders?status=all&limit=500"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> r = send("GET", url, key, null);
            assertEquals(200, r.statusCode(), url + ": " + r.body());
            JsonObject page = new JsonObject(r.body());
            page.getJsonArray("items").forEach(o -> out.add((JsonObject) o));
            cursor = page.getString("next_cursor");
        } while (cursor != null);
        return out;
    }

    private static HttpResponse<String> send(String method, String url, Map<String, String> headers, JsonObject body)
            throws IOException, InterruptedException {
        return DistributedHttp.send(method, url, headers, body);
    }
}
