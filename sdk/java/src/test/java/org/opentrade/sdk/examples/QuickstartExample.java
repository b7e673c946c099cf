package org.opentrade.sdk.examples;

import org.opentrade.sdk.Credentials;
import org.opentrade.sdk.OpenTrade;
import org.opentrade.sdk.model.Order;
import org.opentrade.sdk.model.OrderCreate;
import org.opentrade.sdk.model.OrderSide;
import org.opentrade.sdk.model.OrderType;
import org.opentrade.sdk.model.Quote;

/**
 * The README's ten lines: a quote and a market order. The lines between the markers are the
 * README's Java block, character for character ({@code ExamplesIT} checks it).
 */
public final class QuickstartExample {
    public static Order run(String baseUrl, String keyId, String secret) {
        // README:start
        OpenTrade ot = OpenTrade.builder().baseUrl(baseUrl) // e.g. http://localhost:8080
                .credentials(Credentials.secretKey(keyId, secret)).build();
        Quote quote = ot.call(() -> ot.market().getQuotes("600000.SH")).getItems().get(0);
        System.out.println("600000.SH last " + quote.getLast() + " ask " + quote.getAsk());
        Order order = ot.placeOrder(new OrderCreate().symbol("600000.SH").side(OrderSide.BUY)
                .type(OrderType.MARKET).qty(100L)); // idempotent: a client_order_id is always sent
        System.out.println(order.getClientOrderId() + " -> order " + order.getOrderId() + " " + order.getStatus());
        // README:end
        return order;
    }

    public static void main(String[] args) {
        run(System.getenv().getOrDefault("OPENTRADE_URL", "http://localhost:8080"), System.getenv("OPENTRADE_KEY_ID"),
                System.getenv("OPENTRADE_SECRET"));
    }
}
