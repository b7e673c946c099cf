package org.opentrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.opentrade.common.cluster.ClusterConfig;
import org.opentrade.common.cluster.ClusterTls;
import org.opentrade.common.cluster.ClusteredVertx;
import org.opentrade.common.testing.LoopbackPorts;
import org.opentrade.exchange.client.ExchangeAddresses;
import quickfix.Message;

/**
 * Distributed mode as {@code scripts/run-distributed.sh} runs it ({@link DistributedTopology#shared}, which
 * DistributedFaultIT uses after this class and stops, checking the stop): two exchange processes (a shard
 * each), two market-api instances, trade-api (FIX on) and two gateways each in its own JVM, joined by the
 * clustered event bus (Hazelcast on 127.0.0.1), with the real redis-server, Zipkin server and, when
 * installed, influxd. A developer signs up and makes a key on gateway 1; everything else goes through
 * gateway 2 or straight to trade-api's FIX port, so it works only if the gateways share Redis, the
 * session key and the cluster.
 */
@Order(1)
class DistributedTopologyIT {
    private static final Set<String> TRACED_SERVICES = Set.of("api-gateway", "trade-api", "sandbox-exchange");
    private static DistributedTopology topology;
    private static String gateway1;
    private static String gateway2;
    private static String token;
    private static String keyId;
    private static String secret;

    @BeforeAll
    static void start() throws Exception {
        topology = DistributedTopology.shared();
        gateway1 = topology.url("GATEWAY_1_PORT");
        gateway2 = topology.url("GATEWAY_2_PORT");
        JsonObject developer = DistributedHttp.developerWithKey(gateway1, "dist", List.of("market:read", "trade", "fix"));
        token = developer.getString("token");
        keyId = developer.getString("key_id");
        secret = developer.getString("secret");
    }

    @Test
    void aKeyMadeOnOneGatewayTradesThroughTheOtherAndTheOrderIsSeenOnBoth() throws Exception {
        String clientId = "dist-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> placed = send("POST", gateway2 + "/v1/orders", keyHeaders(), new JsonObject()
                .put("client_order_id", clientId).put("symbol", "600000.SH").put("side", "buy").put("type", "market")
                .put("qty", 100));
        assertEquals(201, placed.statusCode(), placed.body());
        JsonObject order = new JsonObject(placed.body());
        assertEquals(clientId, order.getString("client_order_id"));
        // Acknowledged by the exchange: filled against the simulator's quotes, or (an empty book) its IOC
        // remainder canceled; never refused.
        assertTrue(Set.of("new", "partially_filled", "filled", "canceled").contains(order.getString("status")),
                placed.body());
        HttpResponse<String> seen = send("GET", gateway1 + "/v1/orders/by-client-id/" + clientId, keyHeaders(), null);
        assertEquals(200, seen.statusCode(), seen.body());
        assertEquals(order.getString("order_id"), new JsonObject(seen.body()).getString("order_id"));
    }

    /**
     * The exchange's two shards run in two processes ({@code exchange} shard 0, {@code exchange-2}
     * shard 1): an order on a symbol of each is acknowledged, each symbol's market data flows (its
     * process's simulator trades it), and each process reports only its own shard.
     */
    @Test
    void symbolsOfBothShardsTradeWithEachShardInItsOwnProcess() throws Exception {
        HttpResponse<String> list = send("GET", gateway1 + "/v1/market/instruments", keyHeaders(), null);
        assertEquals(200, list.statusCode(), list.body());
        String[] symbol = new String[2];
        for (Object o : new JsonObject(list.body()).getJsonArray("items")) {
            String s = ((JsonObject) o).getString("symbol");
            int shard = org.opentrade.exchange.client.Shards.of(s, 2);
            if (symbol[shard] == null) {
                symbol[shard] = s;
            }
        }
        for (int shard = 0; shard < 2; shard++) {
            assertTrue(symbol[shard] != null, "a symbol on shard " + shard + " in " + list.body());
            HttpResponse<String> placed = send("POST", gateway1 + "/v1/orders", keyHeaders(), new JsonObject()
                    .put("symbol", symbol[shard]).put("side", "buy").put("type", "market").put("qty", 100));
            assertEquals(201, placed.statusCode(), placed.body());
            assertTrue(Set.of("new", "partially_filled", "filled", "canceled")
                    .contains(new JsonObject(placed.body()).getString("status")), placed.body());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            HttpResponse<String> trades;
            do {
                trades = send("GET", gateway2 + "/v1/market/trades/" + symbol[shard] + "?limit=1", keyHeaders(), null);
                if (trades.statusCode() == 200 && !new JsonObject(trades.body()).getJsonArray("items").isEmpty()) {
                    break;
                }
                Thread.sleep(200); // polling market-api for the simulator's first trade, with a deadline
            } while (System.nanoTime() < deadline);
            assertEquals(200, trades.statusCode(), trades.body());
            assertFalse(new JsonObject(trades.body()).getJsonArray("items").isEmpty(),
                    "trades of " + symbol[shard] + " (shard " + shard + ") reach market-api: " + trades.body());
        }
        String[] process = {"EXCHANGE_OPS_PORT", "EXCHANGE_2_OPS_PORT"};
        for (int shard = 0; shard < 2; shard++) {
            HttpResponse<String> metrics = send("GET", topology.url(process[shard]) + "/metrics", Map.of(), null);
            assertEquals(200, metrics.statusCode(), metrics.body());
            String own = "opentrade_exchange_feed_head_seq{shard=\"" + shard + "\"}";
            String other = "opentrade_exchange_feed_head_seq{shard=\"" + (1 - shard) + "\"}";
            assertTrue(metrics.body().contains(own), process[shard] + " runs shard " + shard + ":\n" + metrics.body());
            assertFalse(metrics.body().contains(other), process[shard] + " does not run shard " + (1 - shard));
        }
    }

    @Test
    void aSessionFromOneGatewayWorksOnTheOther() throws Exception {
        HttpResponse<String> keys = send("GET", gateway2 + "/v1/keys", Map.of("Authorization", "Bearer " + token), null);
        assertEquals(200, keys.statusCode(), keys.body());
        assertTrue(keys.body().contains(keyId), keys.body());
    }

    @Test
    void quotesAndKLinesComeThroughTheGateways() throws Exception {
        HttpResponse<String> quotes = send("GET", gateway1 + "/v1/market/quotes?symbols=600000.SH", keyHeaders(), null);
        assertEquals(200, quotes.statusCode(), quotes.body());
        assertEquals("600000.SH", new JsonObject(quotes.body()).getJsonArray("items").getJsonObject(0).getString("symbol"));
        HttpResponse<String> klines = send("GET", gateway2 + "/v1/market/klines/600000.SH?interval=1d&limit=5",
                keyHeaders(), null);
        assertEquals(200, klines.statusCode(), klines.body());
        JsonArray bars = new JsonObject(klines.body()).getJsonArray("bars");
        assertFalse(bars.isEmpty(), "the backfilled history has daily bars: " + klines.body());
        assertTrue(bars.getJsonObject(bars.size() - 1).containsKey("close"), klines.body());
    }

    @Test
    void oneOrderIsOneTraceInZipkinWithSpansOfGatewayTradeApiAndExchange() throws Exception {
        HttpResponse<String> placed = send("POST", gateway2 + "/v1/orders", keyHeaders(), new JsonObject()
                .put("symbol", "600519.SH").put("side", "buy").put("type", "market").put("qty", 100));
        assertEquals(201, placed.statusCode(), placed.body());
        String traceId = placed.headers().firstValue("X-Trace-Id").orElseThrow();
        String zipkin = topology.url("ZIPKIN_PORT") + "/api/v2/trace/" + traceId;
        Set<String> services = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!services.containsAll(TRACED_SERVICES)) {
            assertTrue(System.nanoTime() < deadline, "trace " + traceId + " in Zipkin has spans of " + services
                    + " only; expected " + TRACED_SERVICES);
            Thread.sleep(250); // polling Zipkin with a deadline: each service exports its spans within a second
            HttpResponse<String> trace = send("GET", zipkin, Map.of(), null);
            if (trace.statusCode() == 200) {
                JsonArray spans = new JsonArray(trace.body());
                for (int i = 0; i < spans.size(); i++) {
                    JsonObject span = spans.getJsonObject(i);
                    assertEquals(traceId, span.getString("traceId"));
                    services.add(span.getJsonObject("localEndpoint").getString("serviceName"));
                }
            }
        }
        // The same trace at /v1/traces/{id}, through the other gateway (which served none of it): read
        // from Zipkin, for its owner only.
        HttpResponse<String> own = send("GET", gateway1 + "/v1/traces/" + traceId, keyHeaders(), null);
        assertEquals(200, own.statusCode(), own.body());
        Set<String> viaApi = new HashSet<>();
        JsonArray spans = new JsonObject(own.body()).getJsonArray("spans");
        for (int i = 0; i < spans.size(); i++) {
            viaApi.add(spans.getJsonObject(i).getString("service"));
        }
        assertTrue(viaApi.containsAll(TRACED_SERVICES), "/v1/traces has spans of " + viaApi);
        String otherEmail = "other-" + UUID.randomUUID() + "@example.com";
        assertEquals(201, send("POST", gateway1 + "/v1/developers", Map.of(), new JsonObject().put("email", otherEmail)
                .put("password", "long enough pw").put("name", "Other")).statusCode());
        HttpResponse<String> otherSession = send("POST", gateway2 + "/v1/sessions", Map.of(),
                new JsonObject().put("email", otherEmail).put("password", "long enough pw"));
        assertEquals(201, otherSession.statusCode(), otherSession.body());
        String otherToken = new JsonObject(otherSession.body()).getString("token");
        HttpResponse<String> foreign = send("GET", gateway1 + "/v1/traces/" + traceId,
                Map.of("Authorization", "Bearer " + otherToken), null);
        assertEquals(404, foreign.statusCode(), "another developer cannot read it: " + foreign.body());
    }

    @Test
    void fixLogonsAreCheckedByTheGatewaysOverTheCluster() throws Exception {
        int fix = topology.port("FIX_PORT");
        try (FixGatewayLogonIT.Initiator c = new FixGatewayLogonIT.Initiator(fix, "DIST_OK", keyId, secret)) {
            Message first = c.next();
            assertEquals("A", first.getHeader().getString(35), "logged on: " + first);
        }
        try (FixGatewayLogonIT.Initiator c = new FixGatewayLogonIT.Initiator(fix, "DIST_BAD", keyId, "not-the-secret")) {
            Message logout = c.next();
            assertEquals("5", logout.getHeader().getString(35), "refused: " + logout);
            assertEquals("logon refused: wrong secret", logout.getString(58));
        }
    }

    /**
     * Issue 15's "an uncertified process is refused", on the running topology: a process that knows
     * the cluster's name joins its Hazelcast (open-source Hazelcast authenticates no member) and sees
     * where the exchange takes commands, yet its command never reaches the exchange (no reply, not
     * even a refusal: the exchange answers every command it gets), while the same command from a
     * process holding a certificate of the script's cluster CA is answered.
     */
    @Test
    void aProcessWithoutTheClusterCertificateCannotSendTheExchangeACommand() throws Exception {
        List<String> members = Stream.of("HZ_EXCHANGE_PORT", "HZ_EXCHANGE_2_PORT", "HZ_MARKET_PORT", "HZ_MARKET_2_PORT", "HZ_TRADE_PORT",
                "HZ_GATEWAY_1_PORT", "HZ_GATEWAY_2_PORT").map(p -> "127.0.0.1:" + topology.port(p)).toList();
        Path tls = topology.dir().resolve("secrets/cluster-tls");
        ClusterTls certificate = ClusterTls.load(tls.resolve("gateway-2.p12"), tls.resolve("password"),
                tls.resolve("ca.crt"), null);
        String name = topology.secret("cluster-name");
        io.vertx.core.Future<Vertx> rogueJoin = ClusteredVertx.start(member(name, members), new VertxOptions());
        io.vertx.core.Future<Vertx> certifiedJoin = ClusteredVertx.start(member(name, members).withTls(certificate),
                new VertxOptions());
        Vertx rogue = rogueJoin.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
        Vertx certified = null;
        try {
            certified = certifiedJoin.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
            // An order id no one uses (below the simulator's 2^62), so even a delivered cancel changes nothing.
            long unknownOrder = (1L << 61) + java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 40);
            JsonObject cancel = new JsonObject().put("type", "CANCEL").put("order_id", unknownOrder)
                    .put("account", "victim").put("symbol", "600000.SH");
            awaitExchangeKnownTo(rogue);
            awaitExchangeKnownTo(certified);
            Throwable refused = assertThrows(Exception.class, () -> command(rogue, cancel, 3_000));
            assertTrue(refused.getCause() instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT,
                    "the rogue's command timed out unanswered: " + refused);
            // Ample time: the first TLS connection of a cold JVM on a busy machine.
            JsonObject answered = command(certified, cancel, 30_000);
            assertTrue(answered.getInteger("code") < 0, "the exchange answers a certified member (and refuses the"
                    + " cancel of an unknown order): " + answered);
        } finally {
            rogue.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (certified != null) {
                certified.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static ClusterConfig member(String name, List<String> members) throws java.io.IOException {
        return new ClusterConfig(name, members, "127.0.0.1", null, LoopbackPorts.free(), false, Duration.ofSeconds(15),
                0);
    }

    private static JsonObject command(Vertx from, JsonObject command, long timeoutMillis) throws Exception {
        return (JsonObject) from.eventBus().request(ExchangeAddresses.COMMANDS, command,
                        new DeliveryOptions().setSendTimeout(timeoutMillis))
                .toCompletionStage().toCompletableFuture().get(timeoutMillis + 10_000, TimeUnit.MILLISECONDS).body();
    }

    /** Waits until {@code v}'s view of the cluster lists the exchange's command handler. */
    private static void awaitExchangeKnownTo(Vertx v) throws Exception {
        HazelcastClusterManager manager = (HazelcastClusterManager) ((VertxInternal) v).clusterManager();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Promise<List<RegistrationInfo>> seen = Promise.promise();
            manager.getRegistrations(ExchangeAddresses.COMMANDS, seen);
            if (!seen.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).isEmpty()) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the exchange's command handler never showed in the cluster");
            Thread.sleep(50); // polling the member's view of the registrations, with a deadline; not a fixed wait
        }
    }

    @Test
    void statusReportsEveryServiceReady() throws Exception {
        DistributedTopology.Result status = topology.status();
        assertEquals(0, status.exitCode(), status.output());
        for (String service : List.of("redis", "zipkin", "exchange", "exchange-2", "market-api", "market-api-2",
                "gateway-1", "gateway-2")) {
            assertTrue(status.output().lines().anyMatch(l -> l.startsWith(service + " ") && l.contains(" ready ")),
                    service + " ready in:\n" + status.output());
        }
        // The trade-api pair: one process serves, the other stands by (which one may change with a takeover).
        List<String> pair = status.output().lines().filter(l -> l.startsWith("trade-api ") || l.startsWith("trade-api-standby "))
                .map(l -> l.split(" +")[2]).sorted().toList();
        assertEquals(List.of("serving", "standby"), pair, status.output());
    }

    /** Each gateway found both market-api instances through the cluster and sends them requests (no target lists). */
    @Test
    void bothGatewaysUseBothMarketApiInstances() throws Exception {
        for (String gateway : List.of(gateway1, gateway2)) {
            HttpResponse<String> metrics = send("GET", gateway + "/metrics", Map.of(), null);
            assertEquals(200, metrics.statusCode(), metrics.body());
            for (String port : List.of("MARKET_PORT", "MARKET_2_PORT")) {
                String up = "opentrade_gateway_upstream_up{pool=\"market-api\",instance=\"127.0.0.1:" + topology.port(port)
                        + "\"} 1";
                assertTrue(metrics.body().lines().anyMatch(up::equals), gateway + " lists " + up + " in:\n" + metrics.body());
            }
        }
    }

    private static Map<String, String> keyHeaders() {
        return Map.of("X-API-Key", keyId, "X-API-Secret", secret);
    }

    private static HttpResponse<String> send(String method, String url, Map<String, String> headers, JsonObject body)
            throws Exception {
        return DistributedHttp.send(method, url, headers, body);
    }
}
