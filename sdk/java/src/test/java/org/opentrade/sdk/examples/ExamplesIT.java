package org.opentrade.sdk.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrade.sdk.OpenTrade;
import org.opentrade.sdk.model.Order;
import org.opentrade.sdk.model.OrderCreate;
import org.opentrade.sdk.model.OrderSide;
import org.opentrade.sdk.model.OrderType;
import org.opentrade.sdk.model.OrderStatus;
import org.opentrade.sdk.testing.SdkFixture;

/** The README's examples, run against the all-in-one as a new developer would run them. */
@ExtendWith(SdkFixture.class)
class ExamplesIT {
    private static OpenTrade ot;

    @BeforeAll
    static void developerWithAKey() throws Exception {
        OpenTrade session = SdkFixture.newDeveloper();
        // REST through Prism, which checks every answer against the contract; streams direct (Prism
        // cannot forward a WebSocket upgrade).
        ot = session.toBuilder().baseUrl(SdkFixture.prism().baseUri().toString()).streamBaseUrl(SdkFixture.baseUrl())
                .credentials(SdkFixture.newTradingKey(session)).build();
    }

    @AfterAll
    static void everyAnswerKeptTheContract() throws Exception {
        assertEquals(List.of(), SdkFixture.prism().loggedResponseViolations(), SdkFixture.prism().log());
    }

    @Test
    void readmeQuickstartRunsAndIsTheReadmesJavaBlock() throws Exception {
        Path example = Path.of("src/test/java/org/opentrade/sdk/examples/QuickstartExample.java");
        String source = Files.readString(example);
        String block = source.substring(source.indexOf("// README:start\n") + "// README:start\n".length(),
                source.indexOf("        // README:end"));
        String dedented = block.lines().map(l -> l.startsWith("        ") ? l.substring(8) : l)
                .collect(Collectors.joining("\n"));
        assertTrue(Files.readString(Path.of("README.md")).contains(dedented), "sdk/java/README.md shows:\n" + dedented);
        assertTrue(Files.readString(Path.of("../../README.md")).contains(dedented), "the root README shows:\n" + dedented);

        OpenTrade session = SdkFixture.newDeveloper();
        org.opentrade.sdk.model.ApiKeyCreated key = session.call(() -> session.keys().createKey(
                new org.opentrade.sdk.model.ApiKeyCreate().scopes(java.util.Set.of(org.opentrade.sdk.model.Scope.MARKET_READ,
                        org.opentrade.sdk.model.Scope.TRADE))));
        Order order = QuickstartExample.run(SdkFixture.baseUrl(), key.getKeyId(), key.getSecret());
        assertTrue(order.getClientOrderId().startsWith("sdk-"));
        OpenTrade keyed = session.withCredentials(org.opentrade.sdk.Credentials.secretKey(key.getKeyId(), key.getSecret()));
        assertEquals(order.getOrderId(), keyed.call(() -> keyed.trading().getOrder(order.getOrderId())).getOrderId());
    }

    @Test
    void marketDataExampleReadsInstrumentsQuoteBookAndBars() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MarketDataExample.Result r = MarketDataExample.run(ot, "600000.SH", new PrintStream(out, true, StandardCharsets.UTF_8));
        assertTrue(r.instruments() > 0);
        assertEquals("600000.SH", r.quote().getSymbol());
        assertTrue(!r.depth().getBids().isEmpty() || !r.depth().getAsks().isEmpty(), "the simulated book has levels");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("bars of 1m"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void orderLifecycleExamplePlacesReplacesAndCancels() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OrderLifecycleExample.Result r = OrderLifecycleExample.run(ot, "600000.SH",
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertTrue(r.placed().getClientOrderId().startsWith("sdk-"), "placeOrder always sends a client_order_id");
        assertEquals(r.placed().getOrderId(), r.replaced().getOrderId(), "a replace keeps the order id");
        assertEquals(2 * r.placed().getQty(), r.replaced().getQty());
        assertEquals(OrderStatus.CANCELED, r.canceled().getStatus());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("[-4113]"), "the second cancel is typed: " + out);
        Order again = ot.call(() -> ot.trading().getOrderByClientId(r.placed().getClientOrderId()));
        assertEquals(OrderStatus.CANCELED, again.getStatus());
    }

    @Test
    void movingAverageStrategyTradesOnTheLiveStream() throws Exception {
        // The simulated market trades about once a second; another developer's market orders, eight a
        // second (under the free plan's ten per symbol), make the tape busy enough for a quick run.
        OpenTrade other = SdkFixture.newDeveloper();
        OpenTrade taker = other.withCredentials(SdkFixture.newTradingKey(other));
        ScheduledExecutorService tape = Executors.newSingleThreadScheduledExecutor();
        tape.scheduleAtFixedRate(() -> {
            try {
                taker.placeOrder(new OrderCreate().symbol("600000.SH").side(OrderSide.BUY).type(OrderType.MARKET).qty(100L));
            } catch (RuntimeException refused) {
                // a refusal (rate, buying power) only makes the tape quieter
            }
        }, 0, 125, TimeUnit.MILLISECONDS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MovingAverageStrategyExample.Result r;
        try {
            r = MovingAverageStrategyExample.run(ot, "600000.SH", 3, 8, 40, 2, Duration.ofSeconds(60),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
        } finally {
            tape.shutdownNow();
        }
        assertTrue(r.tradesSeen() >= 40, "the trades reach the strategy on the stream: " + out);
        for (Order o : r.orders()) {
            assertEquals(o.getOrderId(), ot.call(() -> ot.trading().getOrder(o.getOrderId())).getOrderId());
        }
    }
}
