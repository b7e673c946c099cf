package org.opentrade.market.adapter.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.opentrade.common.json.JsonBytes;

/**
 * The server's frames of docs/contracts.md, encoded to UTF-8 once: data frames {@code {"channel","seq","data"}}
 * (snapshot frames add {@code "snapshot":true}, and {@code "resumed":false} when they replace messages
 * the client cannot get), control frames {@code {"type":…}} without seq, errors in the error model.
 */
final class ServerFrames {
    /** RFC 3339, UTC, always with milliseconds (Instant.toString drops zero millis). */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private ServerFrames() {
    }

    static Buffer data(String channel, long seq, JsonObject data) {
        return new JsonObject().put("channel", channel).put("seq", seq).put("data", data).toBuffer();
    }

    /**
     * {@link #data(String, long, JsonObject)}'s bytes written by {@code w} (reset first; the owner's reusable
     * writer): no Jackson generator per frame, which was a third of the market thread's CPU with every channel
     * subscribed. Jackson still writes a payload with a value that has no exact fast form.
     */
    static Buffer data(JsonBytes w, String channel, long seq, JsonObject data) {
        try {
            return w.reset().raw("{\"channel\":").string(channel).raw(",\"seq\":").number(seq).raw(",\"data\":")
                    .value(data).raw('}').toBuffer();
        } catch (JsonBytes.Unsupported u) {
            return data(channel, seq, data);
        }
    }

    /** A data frame whose data {@code data} writes into {@code w} (reset first; the owner's reusable writer). */
    static Buffer data(JsonBytes w, String channel, long seq, Consumer<JsonBytes> data) {
        w.reset().raw("{\"channel\":").string(channel).raw(",\"seq\":").number(seq).raw(",\"data\":");
        data.accept(w);
        return w.raw('}').toBuffer();
    }

    /** @param gap true when the client had (or claimed) state this snapshot replaces because messages are lost */
    static Buffer snapshot(String channel, long seq, JsonObject data, boolean gap) {
        JsonObject f = new JsonObject().put("channel", channel).put("seq", seq).put("snapshot", true);
        if (gap) {
            f.put("resumed", false);
        }
        return f.put("data", data).toBuffer();
    }

    static Buffer subscribed(List<String> channels, Map<String, Long> seqs, String epoch) {
        return new JsonObject().put("type", "subscribed").put("channels", new JsonArray(List.copyOf(channels)))
                .put("seqs", new JsonObject(new LinkedHashMap<>(seqs))).put("epoch", epoch).toBuffer();
    }

    static Buffer unsubscribed(List<String> channels) {
        return new JsonObject().put("type", "unsubscribed").put("channels", new JsonArray(List.copyOf(channels)))
                .toBuffer();
    }

    static Buffer heartbeat(Map<String, Long> seqs, long nowMs, String epoch) {
        return new JsonObject().put("type", "heartbeat").put("seqs", new JsonObject(new LinkedHashMap<>(seqs)))
                .put("time", TIME.format(Instant.ofEpochMilli(nowMs))).put("epoch", epoch).toBuffer();
    }

    static Buffer pong() {
        return new JsonObject().put("type", "pong").toBuffer();
    }

    /** @param channels the channels the error is about, or null */
    static Buffer error(String message, int errorNo, String traceId, List<String> channels) {
        JsonObject f = new JsonObject().put("type", "error").put("error", message).put("error_no", errorNo)
                .put("trace_id", traceId);
        if (channels != null) {
            f.put("channels", new JsonArray(List.copyOf(channels)));
        }
        return f.toBuffer();
    }
}
