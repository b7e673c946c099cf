package org.opentrade.trade.adapter.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ServerFramesTest {
    private static JsonObject reference(long seq, String type, JsonObject data) {
        return new JsonObject().put("channel", OrderStreams.CHANNEL).put("seq", seq).put("type", type).put("data", data);
    }

    @Test
    void aDataFrameIsTheBytesOfItsJsonObjectForm() {
        JsonObject order = new JsonObject().put("order_id", "12").put("qty", 100).put("price", (String) null)
                .put("reject_reason", "bad \"quote\"\n").put("nested", new JsonObject().put("a", true));
        for (long seq : new long[] {1, 42, Long.MAX_VALUE}) {
            for (String type : new String[] {OrderStreams.TYPE_ORDER, OrderStreams.TYPE_FILL}) {
                assertEquals(reference(seq, type, order).toBuffer(), ServerFrames.data(seq, type, order));
            }
        }
    }

    @Test
    void aDataFrameWithValuesOnlyJacksonWritesIsStillTheSameBytes() {
        JsonObject odd = new JsonObject().put("x", 1.25).put("y", new BigDecimal("3.10")).put("z", "caf\u00e9");
        assertEquals(reference(7, OrderStreams.TYPE_FILL, odd).toBuffer(), ServerFrames.data(7, OrderStreams.TYPE_FILL, odd));
    }
}
