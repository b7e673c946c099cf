package org.opentrade.trade.adapter.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.opentrade.trade.adapter.ws.OrderStreamTestKit.ALICE;
import static org.opentrade.trade.adapter.ws.OrderStreamTestKit.BOB;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.trade.adapter.ws.OrderStreamTestKit.TestClient;

/**
 * Cancel-on-disconnect is opted into per connection ({@code ?cancel_on_disconnect=true}): the account's open
 * orders are cancelled when its last open opted-in connection closes, never because of a connection that did
 * not opt in, and not when the server itself shuts down.
 */
class CancelOnDisconnectTest {
    private OrderStreamTestKit kit;

    @AfterEach
    void tearDown() {
        if (kit != null) {
            kit.close();
        }
    }

    /** Closes {@code c} and returns once the server has fully handled the close. */
    private void closeAndSettle(TestClient c, long connectionsLeft) {
        c.close();
        kit.awaitCondition(connectionsLeft + " connections left",
                () -> kit.streams.stats().connections() == connectionsLeft);
        kit.drainOwner();
    }

    @Test
    void itFiresOnlyWhenTheAccountsLastOptedInConnectionCloses() {
        kit = new OrderStreamTestKit(OrderStreamOptions.defaults());
        TestClient aliceBot1 = kit.connect(ALICE, true);
        TestClient aliceBot2 = kit.connect(ALICE, true);
        TestClient aliceDashboard = kit.connect(ALICE, false);
        TestClient bobDashboard = kit.connect(BOB, false);
        TestClient bobBot = kit.connect(BOB, true);
        kit.awaitCondition("five connections", () -> kit.streams.stats().connections() == 5);

        closeAndSettle(bobDashboard, 4);
        assertEquals(List.of(), kit.cancelled, "a connection that did not opt in never triggers it");
        closeAndSettle(aliceBot1, 3);
        assertEquals(List.of(), kit.cancelled, "Alice's other opted-in connection is still open");
        closeAndSettle(aliceBot2, 2);
        assertEquals(List.of(ALICE), kit.cancelled,
                "Alice's last opted-in connection closed; her dashboard does not hold it back");
        closeAndSettle(aliceDashboard, 1);
        assertEquals(List.of(ALICE), kit.cancelled);

        TestClient aliceAgain = kit.connect(ALICE, true);
        kit.awaitCondition("Alice back", () -> kit.streams.stats().connections() == 2);
        closeAndSettle(aliceAgain, 1);
        assertEquals(List.of(ALICE, ALICE), kit.cancelled, "a new opted-in connection arms it again");

        OrderStreamTestKit.await(kit.streams.close());
        assertEquals((short) 1001, OrderStreamTestKit.get(bobBot.closed));
        assertEquals(-9001, new io.vertx.core.json.JsonObject(bobBot.closeReason).getInteger("error_no"),
                "a stop's close reason is the error model: " + bobBot.closeReason);
        kit.drainOwner();
        assertEquals(List.of(ALICE, ALICE), kit.cancelled, "a server shutdown is not Bob's disconnect");
        assertEquals(2, kit.streams.stats().cancelsOnDisconnect());
    }

    @Test
    void aConnectionTheServerClosesForFloodingCountsAsADisconnect() {
        kit = new OrderStreamTestKit(OrderStreamOptions.defaults().withClientFrames(4 * 1024, 5, 10));
        TestClient bot = kit.connect(BOB, true);
        for (int i = 0; i < 50; i++) {
            bot.send(new JsonObject().put("op", "ping"));
        }
        assertEquals((short) 1008, OrderStreamTestKit.get(bot.closed));
        kit.awaitCondition("the cancel", () -> kit.cancelled.equals(List.of(BOB)));
    }
}
