package org.opentrade.sdk.examples;

import java.io.PrintStream;
import java.math.BigDecimal;
import org.opentrade.sdk.Credentials;
import org.opentrade.sdk.OpenTrade;
import org.opentrade.sdk.OrderRejectedException;
import org.opentrade.sdk.model.Instrument;
import org.opentrade.sdk.model.Order;
import org.opentrade.sdk.model.OrderCreate;
import org.opentrade.sdk.model.OrderCreatePrice;
import org.opentrade.sdk.model.OrderSide;
import org.opentrade.sdk.model.OrderType;
import org.opentrade.sdk.model.Quote;
import org.opentrade.sdk.model.TimeInForce;

/**
 * Place, replace and cancel a limit order with the Java SDK: a buy resting five ticks under the bid,
 * moved one tick lower with a larger size, then canceled.
 */
public final class OrderLifecycleExample {
    public record Result(Order placed, Order replaced, Order canceled) { }

    public static Result run(OpenTrade ot, String symbol, PrintStream out) {
        Instrument inst = ot.call(() -> ot.market().getInstrument(symbol));
        Quote q = ot.call(() -> ot.market().getQuotes(symbol)).getItems().get(0);
        BigDecimal tick = new BigDecimal(inst.getTickSize());
        BigDecimal reference = new BigDecimal(q.getBid() != null ? q.getBid() : inst.getPrevClose());
        BigDecimal price = reference.subtract(tick.multiply(BigDecimal.valueOf(5)));

        // placeOrder sends a client_order_id (generated here) and resolves timeouts by it: never two orders.
        Order placed = ot.placeOrder(new OrderCreate().symbol(symbol).side(OrderSide.BUY).type(OrderType.LIMIT)
                .timeInForce(TimeInForce.DAY).qty(inst.getLotSize()).price(new OrderCreatePrice(price.toPlainString())));
        out.println("placed " + placed.getOrderId() + " (" + placed.getClientOrderId() + ") " + placed.getStatus()
                + " " + placed.getQty() + " @ " + placed.getPrice());

        Order replaced = ot.replaceOrder(placed.getOrderId(), inst.getLotSize() * 2, price.subtract(tick).toPlainString());
        out.println("replaced: " + replaced.getQty() + " @ " + replaced.getPrice() + " " + replaced.getStatus());

        Order canceled = ot.cancelOrder(placed.getOrderId());
        out.println("canceled: " + canceled.getStatus());
        try {
            ot.cancelOrder(placed.getOrderId());
        } catch (OrderRejectedException e) { // typed by error_no: -4113, the order is no longer open
            out.println("a second cancel is refused: " + e.getMessage());
        }
        return new Result(placed, replaced, canceled);
    }

    public static void main(String[] args) {
        OpenTrade ot = OpenTrade.builder().baseUrl(System.getenv().getOrDefault("OPENTRADE_URL", "http://localhost:8080"))
                .credentials(Credentials.secretKey(System.getenv("OPENTRADE_KEY_ID"), System.getenv("OPENTRADE_SECRET")))
                .build();
        run(ot, args.length > 0 ? args[0] : "600000.SH", System.out);
    }
}
