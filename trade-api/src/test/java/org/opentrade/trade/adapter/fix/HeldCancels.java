package org.opentrade.trade.adapter.fix;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import java.util.ArrayList;
import java.util.List;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandType;

/**
 * Holds trade-api's CANCEL and REPLACE commands for one symbol on their way to the exchange (an
 * outbound event-bus interceptor) until {@link #release()}: so a test can fill an order while its
 * cancel or replace is pending, the race Appendix D describes, deterministically. Everything else
 * passes untouched.
 */
final class HeldCancels implements AutoCloseable {
    private final Vertx vertx;
    private final String symbol;
    private final List<Held> held = new ArrayList<>();
    private final Handler<DeliveryContext<Object>> interceptor = this::intercept;
    private boolean holding = true;

    private record Held(DeliveryContext<Object> delivery, Context context) {
    }

    HeldCancels(FixHarness h, String symbol) {
        this.vertx = h.vertx;
        this.symbol = symbol;
        vertx.eventBus().addOutboundInterceptor(interceptor);
    }

    private void intercept(DeliveryContext<Object> dc) {
        if (ExchangeAddresses.isAddressOf(ExchangeAddresses.COMMANDS, dc.message().address()) && dc.body() instanceof Command c
                && (c.type() == CommandType.CANCEL || c.type() == CommandType.REPLACE) && symbol.equals(c.symbol())) {
            synchronized (this) {
                if (holding) {
                    held.add(new Held(dc, Vertx.currentContext()));
                    notifyAll();
                    return;
                }
            }
        }
        dc.next();
    }

    /** Waits until one command is held. */
    synchronized void awaitHeld() throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (held.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no cancel or replace of " + symbol + " reached the exchange's address");
            }
            wait(left / 1_000_000 + 1);
        }
    }

    /** Lets the held commands go on (on the contexts that sent them) and stops holding. */
    void release() {
        List<Held> go;
        synchronized (this) {
            holding = false;
            go = new ArrayList<>(held);
            held.clear();
        }
        for (Held h : go) {
            if (h.context() != null) {
                h.context().runOnContext(v -> h.delivery().next());
            } else {
                h.delivery().next();
            }
        }
    }

    @Override
    public void close() {
        release();
        vertx.eventBus().removeOutboundInterceptor(interceptor);
    }
}
