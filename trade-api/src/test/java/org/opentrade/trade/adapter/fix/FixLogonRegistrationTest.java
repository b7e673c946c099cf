package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Context;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;

/**
 * The Logon registration race: a session must be registered with the order path before its Logon is answered, so
 * a report made once the client is logged on reaches it. An acceptor of its own runs beside the harness's, on the
 * same desk, with its hand-over to the trade context held back on demand ({@link Gate}): what the acceptor queued
 * for the trade context runs only when the test says, which makes the window as wide as the test needs.
 */
class FixLogonRegistrationTest extends FixHarnessTest {

    @Test
    void aFillMadeOnceTheLogonIsAnsweredReachesTheSession() throws Exception {
        String dev = "dev_registration";
        // A resting order entered by REST: the account has no FIX state before the Logon below.
        assertEquals(201, h.rest(HttpMethod.POST, dev, "/v1/orders", new JsonObject()
                .put("client_order_id", "lr-1").put("symbol", "601318.SH").put("side", "buy").put("type", "limit")
                .put("time_in_force", "day").put("qty", 100).put("price", "52.00")).statusCode());
        Gate gate = new Gate(h.trade.context());
        FixAcceptor acceptor = new FixAcceptor(FixAcceptorOptions.defaults(dir.resolve("gated-fix"))
                .withAddress("127.0.0.1", 0).withDailyReset(null, FixAcceptorOptions.DEFAULT_RESET_ZONE),
                h.trade.desk(), gate, h.keys, System::currentTimeMillis);
        FixHarness.await(runOnContext(() -> h.trade.desk().addListener(acceptor.updates())));
        acceptor.start();
        try (FixClient c = new FixClient(acceptor.port(), "C_" + dev, h.key(dev), "secret-" + dev, Map.of())) {
            gate.close();
            c.start();
            // The Logon is sent; the acceptor's first hand-over to the trade context is held.
            FixHarness.until(() -> {
                c.sendLogonIfDue();
                return gate.held() > 0;
            }, 20);
            Session accepted = Session.lookupSession(new SessionID("FIX.4.4", FixAcceptorOptions.COMP_ID, "C_" + dev));
            if (accepted.isLoggedOn()) {
                // The Logon was answered while the session's registration still waits: the client is logged on,
                // and the fill made now is its order's.
                fill(dev);
                gate.open();
            } else {
                gate.open();
                c.awaitLogon();
                fill(dev);
            }
            c.awaitLogon();
            Message fill = c.next(m -> "8".equals(FixClient.type(m)) && m.isSetField(150) && "F".equals(field(m, 150)),
                    "the fill of lr-1 after the Logon");
            assertEquals("lr-1", fill.getString(11));
            assertEquals('2', fill.getChar(39));
        } finally {
            gate.open();
            acceptor.stop();
        }
    }

    /** Fills dev's order lr-1 and waits until the ledger has the fill (the desk's listeners have run). */
    private static void fill(String dev) throws Exception {
        h.counter("601318.SH", "SELL", "52.00", 100);
        FixHarness.until(() -> {
            try {
                return "filled".equals(h.rest(HttpMethod.GET, dev, "/v1/orders/by-client-id/lr-1", null)
                        .bodyAsJsonObject().getString("status"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, 15);
    }

    private static String field(Message m, int tag) {
        try {
            return m.getString(tag);
        } catch (quickfix.FieldNotFound e) {
            return null;
        }
    }

    private static io.vertx.core.Future<Void> runOnContext(Runnable r) {
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        h.trade.context().runOnContext(v -> {
            r.run();
            done.complete();
        });
        return done.future();
    }

    /** The acceptor's hand-over to the trade context, held back while closed and then run in order. */
    private static final class Gate implements Executor {
        private final Context context;
        private final List<Runnable> held = new ArrayList<>();
        private boolean closed;

        Gate(Context context) {
            this.context = context;
        }

        @Override
        public synchronized void execute(Runnable task) {
            if (closed) {
                held.add(task);
            } else {
                context.runOnContext(v -> task.run());
            }
        }

        synchronized void close() {
            closed = true;
        }

        synchronized int held() {
            return held.size();
        }

        synchronized void open() {
            closed = false;
            for (Runnable task : held) {
                context.runOnContext(v -> task.run());
            }
            held.clear();
        }
    }
}
