package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

/** The kill switch under an Idempotency-Key: like every other mutation, a retry answers the first answer. */
class KillSwitchIdempotencyTest extends TradeHarnessTest {
    private static HttpResponse<Buffer> kill(String dev, boolean on, String key) throws Exception {
        var r = h.request(HttpMethod.POST, dev, "/v1/account/kill-switch");
        if (key != null) {
            r.putHeader("Idempotency-Key", key);
        }
        return TradeHarness.await(r.sendJsonObject(new JsonObject().put("enabled", on)));
    }

    /** Found in review: the retry of a lost "on" switched the account off again after the developer lifted it. */
    @Test
    void aRetryUnderItsKeyAnswersTheFirstAnswerAndDoesNotRunAgain() throws Exception {
        String dev = "dev_kill_key";
        assertEquals(200, kill(dev, true, "k-1").statusCode());
        assertEquals(200, kill(dev, false, null).statusCode());
        HttpResponse<Buffer> retry = kill(dev, true, "k-1");
        assertEquals(200, retry.statusCode());
        assertEquals(true, retry.bodyAsJsonObject().getBoolean("kill_switch"), "the first answer: " + retry.bodyAsString());
        assertEquals(false, h.get(dev, "/v1/account").bodyAsJsonObject().getBoolean("kill_switch"),
                "the retry ran again: the switch is on although the developer lifted it since");
        HttpResponse<Buffer> otherBody = kill(dev, false, "k-1");
        assertEquals(409, otherBody.statusCode(), otherBody.bodyAsString());
        assertEquals(-4115, otherBody.bodyAsJsonObject().getInteger("error_no"));
    }

    @Test
    void aKeyAResetUsedIsNotTakenByAKillSwitch() throws Exception {
        String dev = "dev_kill_reset_key";
        var reset = h.request(HttpMethod.POST, dev, "/v1/account/reset").putHeader("Idempotency-Key", "k-2");
        assertEquals(200, TradeHarness.await(reset.send()).statusCode());
        HttpResponse<Buffer> other = kill(dev, true, "k-2");
        assertEquals(409, other.statusCode(), other.bodyAsString());
        assertEquals(-4115, other.bodyAsJsonObject().getInteger("error_no"));
        assertEquals(false, h.get(dev, "/v1/account").bodyAsJsonObject().getBoolean("kill_switch"));
    }
}
