package org.opentrade.trade.adapter.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.opentrade.common.json.JsonBytes;

/**
 * The order stream's server frames (docs/contracts.md), encoded to UTF-8 once: data frames {@code {"channel":"orders",
 * "seq","type":"order"|"fill","data"}}; a snapshot is a {@code "type":"snapshot"} frame ({@code "snapshot":true},
 * {@code "resumed":false} when it replaces updates the client cannot get, {@code "data":{"open_orders":n}})
 * followed by n {@code "type":"order","snapshot":true} frames, all at the snapshot's seq; control frames
 * {@code {"type":…}} without seq; errors in the error model.
 */
final class ServerFrames {
    /** RFC 3339, UTC, always with milliseconds (Instant.toString drops zero millis). */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private ServerFrames() {
    }

    /** Written by hand ({@link JsonBytes}): the same bytes as the JsonObject form, once per update on the order path. */
    static Buffer data(long seq, String type, JsonObject data) {
        try {
            return new JsonBytes(512).raw("{\"channel\":").string(OrderStreams.CHANNEL).raw(",\"seq\":").number(seq)
                    .raw(",\"type\":").string(type).raw(",\"data\":").value(data).raw('}').toBuffer();
        } catch (JsonBytes.Unsupported notFast) { // a value JsonBytes leaves to Jackson
            return new JsonObject().put("channel", OrderStreams.CHANNEL).put("seq", seq).put("type", type)
                    .put("data", data).toBuffer();
        }
    }

    /** @param gap true when the client had (or claimed) updates this snapshot replaces because some are lost */
    static Buffer snapshotStart(long seq, int openOrders, boolean gap) {
        JsonObject f = new JsonObject().put("channel", OrderStreams.CHANNEL).put("seq", seq).put("type", "snapshot")
                .put("snapshot", true);
        if (gap) {
            f.put("resumed", false);
        }
        return f.put("data", new JsonObject().put("open_orders", openOrders)).toBuffer();
    }

    static Buffer snapshotOrder(long seq, JsonObject order) {
        return new JsonObject().put("channel", OrderStreams.CHANNEL).put("seq", seq).put("type", "order")
                .put("snapshot", true).put("data", order).toBuffer();
    }

    static Buffer subscribed(long head, String epoch) {
        return new JsonObject().put("type", "subscribed").put("channels", new JsonArray().add(OrderStreams.CHANNEL))
                .put("seqs", new JsonObject().put(OrderStreams.CHANNEL, head)).put("epoch", epoch).toBuffer();
    }

    static Buffer unsubscribed(List<String> channels) {
        return new JsonObject().put("type", "unsubscribed").put("channels", new JsonArray(List.copyOf(channels)))
                .toBuffer();
    }

    /** @param head the account's head seq when the connection is subscribed, else negative (no seqs listed) */
    static Buffer heartbeat(long head, long nowMs, String epoch) {
        JsonObject seqs = new JsonObject();
        if (head >= 0) {
            seqs.put(OrderStreams.CHANNEL, head);
        }
        return new JsonObject().put("type", "heartbeat").put("seqs", seqs)
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
