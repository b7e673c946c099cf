package org.opentrade.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrade.sdk.model.ApiKeyCreate;
import org.opentrade.sdk.model.ApiKeyCreated;
import org.opentrade.sdk.model.KeyType;
import org.opentrade.sdk.model.Order;
import org.opentrade.sdk.model.OrderCreate;
import org.opentrade.sdk.model.OrderCreatePrice;
import org.opentrade.sdk.model.OrderSide;
import org.opentrade.sdk.model.OrderType;
import org.opentrade.sdk.model.Scope;
import org.opentrade.sdk.testing.SdkFixture;
import org.opentrade.sdk.testing.TcpProxy;

/** The SDK's promises against the real all-in-one: retries, idempotent placement, signing. */
@ExtendWith(SdkFixture.class)
class SdkPromisesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OpenTrade session;
    private static OpenTrade ot;
    private static String restingPrice;

    @BeforeAll
    static void developerWithAKey() throws Exception {
        session = SdkFixture.newDeveloper();
        // Through Prism, which checks every answer against the contract (429s included).
        ot = session.toBuilder().baseUrl(SdkFixture.prism().baseUri().toString())
                .credentials(SdkFixture.newTradingKey(session)).build();
        var inst = ot.call(() -> ot.market().getInstrument("600000.SH"));
        // Ten ticks under the previous close: inside the price band, resting below the simulated book.
        restingPrice = new BigDecimal(inst.getPrevClose()).subtract(new BigDecimal(inst.getTickSize())
                .multiply(BigDecimal.TEN)).toPlainString();
    }

    private static OrderCreate restingBuy() {
        return new OrderCreate().symbol("600000.SH").side(OrderSide.BUY).type(OrderType.LIMIT).qty(100L)
                .price(new OrderCreatePrice(restingPrice));
    }

    private static int ordersWithClientId(String clientOrderId) {
        int n = 0;
        for (Order o : ot.orders("all", "600000.SH")) {
            if (clientOrderId.equals(o.getClientOrderId())) {
                n++;
            }
        }
        return n;
    }

    /** A template placed twice is two orders: the id generated for the first is not written into it. */
    @Test
    void aRefreshedSessionWorksAndEndsWithAPasswordChange() throws Exception {
        OpenTrade session = SdkFixture.newDeveloper(); // password "long enough pw"
        OpenTrade refreshed = session.refreshSession();
        String id = refreshed.call(() -> refreshed.developers().getCurrentDeveloper()).getDeveloperId();
        assertEquals(session.call(() -> session.developers().getCurrentDeveloper()).getDeveloperId(), id);

        refreshed.call(() -> refreshed.developers().changePassword(new org.opentrade.sdk.model.PasswordChange()
                .currentPassword("long enough pw").newPassword("a longer passphrase")));

        AuthenticationException ended = assertThrows(AuthenticationException.class, session::refreshSession);
        assertEquals(-2011, ended.errorNo());
    }

    /** A market buy's position closed through the SDK: one market sell of it, answered through the contract. */
    @Test
    void aPositionIsClosedWithOneMarketSell() throws Exception {
        ot.placeOrder(new OrderCreate().symbol("000001.SZ").side(OrderSide.BUY).type(OrderType.MARKET).qty(100L));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (ot.call(() -> ot.trading().listPositions()).getItems().stream()
                .noneMatch(p -> p.getSymbol().equals("000001.SZ") && p.getSellableQty() == 100)) {
            assertTrue(System.nanoTime() < deadline, "the fill reaches the position");
            Thread.sleep(20); // polling the position the fill reaches from the feed
        }

        Order sell = ot.closePosition("000001.SZ", null, "100", true); // all of it, open sells canceled first (none)

        assertEquals(OrderSide.SELL, sell.getSide());
        assertEquals(OrderType.MARKET, sell.getType());
        assertEquals(100L, sell.getQty());
        assertTrue(sell.getClientOrderId().matches("close-[0-9a-f]{32}"), sell.getClientOrderId());
        // Sold: a second close finds nothing to sell (-4102 while the fill is on its way to the position, then -4117).
        int again = assertThrows(OpenTradeException.class, () -> ot.closePosition("000001.SZ", null)).errorNo();
        assertTrue(again == -4102 || again == -4117, "nothing left to sell: " + again);
    }

    @Test
    void anOrderPlacedTwiceFromOneTemplateIsTwoOrders() throws Exception {
        OrderCreate template = restingBuy();
        Order first = ot.placeOrder(template);
        Order second = ot.placeOrder(template);
        assertEquals(null, template.getClientOrderId(), "the caller's order is not changed");
        assertTrue(!first.getClientOrderId().equals(second.getClientOrderId()) && !first.getOrderId().equals(second.getOrderId()),
                first + " / " + second);
        assertEquals(1, ordersWithClientId(first.getClientOrderId()));
        assertEquals(1, ordersWithClientId(second.getClientOrderId()));
        // Every field reaches the copy that carries the id (equals covers the model's fields, new ones included).
        OrderCreate full = restingBuy().timeInForce(org.opentrade.sdk.model.TimeInForce.GTC)
                .stopPrice(new org.opentrade.sdk.model.OrderCreateStopPrice("1.00"));
        assertEquals(full.clientOrderId("x"), OpenTrade.withClientOrderId(full, "x"));
    }

    @Test
    void aTimedOutPlacementIsResolvedByClientIdToTheOneRealOrder() throws Exception {
        int port = URI.create(SdkFixture.baseUrl()).getPort();
        try (TcpProxy proxy = new TcpProxy(port)) {
            proxy.stallFirstAnswerTo("POST /v1/orders ", 3_000);
            // No transport retries: the time-out reaches placeOrder, which must look the order up by client id.
            OpenTrade slow = ot.toBuilder().baseUrl("http://127.0.0.1:" + proxy.port()).retryPolicy(RetryPolicy.NONE)
                    .requestTimeout(Duration.ofMillis(800)).build();
            Order placed = slow.placeOrder(restingBuy());
            assertTrue(proxy.hasStalled(), "the first answer was held back past the time-out");
            assertEquals(1, ordersWithClientId(placed.getClientOrderId()), "one order, never two");
            assertEquals(placed.getOrderId(), ot.call(() -> ot.trading().getOrderByClientId(placed.getClientOrderId()))
                    .getOrderId());
        }
    }

    @Test
    void aTimedOutPlacementRetriedUnderItsIdempotencyKeyIsStillOneOrder() throws Exception {
        int port = URI.create(SdkFixture.baseUrl()).getPort();
        List<Integer> retries = new CopyOnWriteArrayList<>();
        try (TcpProxy proxy = new TcpProxy(port)) {
            proxy.stallFirstAnswerTo("POST /v1/orders ", 3_000);
            OpenTrade slow = ot.toBuilder().baseUrl("http://127.0.0.1:" + proxy.port())
                    .onRetry((attempt, method, uri, status, wait) -> retries.add(status))
                    .requestTimeout(Duration.ofMillis(800)).build();
            Order placed = slow.placeOrder(restingBuy().clientOrderId("it-timeout-" + System.nanoTime()));
            assertEquals(List.of(0), retries, "one retry after the time-out (no status)");
            assertEquals(1, ordersWithClientId(placed.getClientOrderId()));
        }
    }

    @Test
    void a429WaitsRetryAfterAndSucceeds() throws Exception {
        // The free plan allows 10 new orders per second per key and symbol: 16 at once provoke a 429.
        List<String> retries = new CopyOnWriteArrayList<>();
        OpenTrade burst = ot.toBuilder().onRetry((attempt, method, uri, status, wait) -> retries.add(status + "/" + wait.toMillis()))
                .build();
        // All at once (sixteen threads released together), so the burst exceeds the rate however slow
        // the machine is: one after another they might not.
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Order>> futures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                return burst.placeOrder(restingBuy());
            }));
        }
        go.countDown();
        List<Order> placed = new ArrayList<>();
        for (Future<Order> f : futures) {
            placed.add(f.get(60, TimeUnit.SECONDS)); // every one must succeed
        }
        pool.shutdown();
        assertEquals(16, placed.stream().map(Order::getOrderId).distinct().count());
        assertTrue(retries.stream().anyMatch(r -> r.startsWith("429/") && Long.parseLong(r.substring(4)) >= 1000),
                "a 429 was waited out for its Retry-After: " + retries);
        ot.call(() -> ot.trading().cancelAllOrders("600000.SH", null, null));
    }

    @Test
    void ed25519SignedRequestsPassTheGatewayWithNonAsciiBodiesAndRepeatedParameters() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        ApiKeyCreated key = session.call(() -> session.keys().createKey(new ApiKeyCreate().type(KeyType.ED25519)
                .publicKey(Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()))
                .scopes(java.util.Set.of(Scope.MARKET_READ, Scope.TRADE))));
        // Direct to the gateway: Prism re-serialises bodies and re-encodes queries, which a signature covers.
        OpenTrade signed = ot.toBuilder().baseUrl(SdkFixture.baseUrl())
                .credentials(Credentials.ed25519(key.getKeyId(), pair.getPrivate())).build();

        assertNotEquals(null, signed.call(() -> signed.trading().getAccount()).getCash(), "a signed GET passes");
        Order o = signed.placeOrder(restingBuy());
        assertEquals(o.getOrderId(), signed.cancelOrder(o.getOrderId()).getOrderId(), "signed POST and DELETE pass");

        // Raw requests through the SDK's signing client: the answer must never be a signature refusal.
        var http = signed.apiClient().getHttpClient();
        String base = SdkFixture.baseUrl();
        HttpResponse<String> repeated = http.send(HttpRequest.newBuilder(URI.create(base
                + "/v1/market/quotes?symbols=600000.SH&symbols=000001.SZ&symbols=600000.SH")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertNotSignatureRefusal(repeated);
        HttpResponse<String> nonAscii = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"symbol\":\"浦发银行\",\"side\":\"buy\",\"qty\":100,"
                        + "\"price\":\"10.00\",\"client_order_id\":\"ü-not-allowed\"}", StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertNotSignatureRefusal(nonAscii);
        assertTrue(nonAscii.statusCode() == 400 || nonAscii.statusCode() == 422, "refused by the order rules: " + nonAscii.body());
    }

    @AfterAll
    static void everyAnswerKeptTheContract() throws Exception {
        assertEquals(List.of(), SdkFixture.prism().loggedResponseViolations(), SdkFixture.prism().log());
    }

    private static void assertNotSignatureRefusal(HttpResponse<String> r) throws Exception {
        if (r.statusCode() >= 400) {
            JsonNode error = JSON.readTree(r.body());
            int errorNo = error.path("error_no").asInt();
            assertFalse(errorNo <= -2000 && errorNo > -3000, "the gateway accepted the signature: " + r.body());
        }
    }
}
