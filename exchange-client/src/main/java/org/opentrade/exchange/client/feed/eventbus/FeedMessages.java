package org.opentrade.exchange.client.feed.eventbus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.client.feed.FeedInfo;
import org.opentrade.exchange.client.feed.FeedRequestRefusedException;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.ShardSnapshot;

/**
 * The request bodies and reply readers of the feed's request-reply addresses, exactly as
 * {@code ExchangeAddresses} documents them. Readers throw {@link FeedRequestRefusedException} for a
 * negative {@code code} and IllegalArgumentException for anything unreadable. Stateless.
 */
final class FeedMessages {
    private FeedMessages() {
    }

    static JsonObject replayRequest(int shard, long afterSeq, int maxEvents) {
        return new JsonObject().put("shard", shard).put("after_seq", afterSeq).put("max_events", maxEvents);
    }

    static JsonObject shardSnapshotRequest(int shard, boolean withOrders) {
        return new JsonObject().put("shard", shard).put("orders", withOrders);
    }

    static JsonObject bookSnapshotRequest(String symbol, boolean withOrders) {
        return new JsonObject().put("symbol", symbol).put("orders", withOrders);
    }

    static JsonObject accountSnapshotRequest(String account) {
        return new JsonObject().put("account", account);
    }

    static JsonObject checkpointRequest(String consumer, int shard, long seq) {
        return new JsonObject().put("op", "checkpoint").put("consumer", consumer).put("shard", shard).put("seq", seq);
    }

    /**
     * A replay reply: a FeedBatch (the codec), or its JSON; a bare refusal {@code {"code","message"}}
     * becomes a refused batch without sequences, so the consumer sees every refusal in one shape.
     */
    static FeedBatch replayReply(int shard, Object body) {
        if (body instanceof FeedBatch b) {
            return b;
        }
        JsonObject j = object(body, "replay reply");
        if (!j.containsKey("head_seq") && j.getValue("code") instanceof Integer code && code < 0) {
            return FeedBatch.refused(shard, resultCode(code), j.getValue("message") instanceof String m ? m : null,
                    0, 0);
        }
        return ExchangeJson.feedBatchFromJson(j);
    }

    /** A replay the exchange failed with a known code ({@code message.fail}): a refused batch; else null. */
    static FeedBatch replayFailure(int shard, ReplyException e) {
        if (e.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
            return null;
        }
        ResultCode rc = ResultCode.ofCode(e.failureCode());
        return rc == null || rc.isOk() ? null : FeedBatch.refused(shard, rc, e.getMessage(), 0, 0);
    }

    /** {@code {"code":0,"shards":2,"head_seq":[…],"first_kept_seq":[…]}}; {@code code} may be absent. */
    static FeedInfo infoReply(Object body) {
        JsonObject j = ok(body, "info reply");
        Object shards = j.getValue("shards");
        if (!(shards instanceof Integer n)) {
            throw new IllegalArgumentException("info reply: shards must be an integer, got " + shards);
        }
        return new FeedInfo(n, longs(j, "head_seq"), longs(j, "first_kept_seq"));
    }

    /**
     * {@code {"code":0,"shard":n,"seq":s,"snapshots":[…]}}: the shard's sequence is read from the reply, not
     * from its first book, so a shard without symbols still says where to continue.
     */
    static ShardSnapshot shardSnapshotReply(Object body) {
        JsonObject j = ok(body, "shard snapshot reply");
        List<BookSnapshot> books = listReply(j, "snapshots", "shard snapshot reply", ExchangeJson::bookSnapshotFromJson);
        if (!j.containsKey("shard") && !j.containsKey("seq") && !books.isEmpty()) {
            // An exchange from before the reply carried them (2026-12-02): the books say both.
            return new ShardSnapshot(books.get(0).shard(), books.get(0).seq(), books);
        }
        if (!(j.getValue("shard") instanceof Integer shard)) {
            throw new IllegalArgumentException("shard snapshot reply: shard must be an integer, got " + j.getValue("shard"));
        }
        Object seq = j.getValue("seq");
        if (!(seq instanceof Integer || seq instanceof Long) || ((Number) seq).longValue() < 0) {
            throw new IllegalArgumentException("shard snapshot reply: seq must be a non-negative integer, got " + seq);
        }
        return new ShardSnapshot(shard, ((Number) seq).longValue(), books);
    }

    /** {@code {"code":0,"<key>":[…]}}, each element read by {@code reader}. */
    static <T> List<T> listReply(Object body, String key, String what, Function<JsonObject, T> reader) {
        JsonObject j = ok(body, what);
        if (!(j.getValue(key) instanceof JsonArray a)) {
            throw new IllegalArgumentException(what + ": " + key + " must be an array");
        }
        List<T> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(reader.apply(object(a.getValue(i), what + ": " + key + "[" + i + "]")));
        }
        return out;
    }

    /** {@code {"code":0,"<key>":{…}}}, read by {@code reader}. */
    static <T> T objectReply(Object body, String key, String what, Function<JsonObject, T> reader) {
        return reader.apply(object(ok(body, what).getValue(key), what + ": " + key));
    }

    /** {@code {"code":0}}. */
    static Void emptyReply(Object body, String what) {
        ok(body, what);
        return null;
    }

    /** The reply object after checking its code: absent or 0 is fine; negative is a refusal. */
    private static JsonObject ok(Object body, String what) {
        JsonObject j = object(body, what);
        Object code = j.getValue("code");
        if (code == null || Integer.valueOf(0).equals(code)) {
            return j;
        }
        if (!(code instanceof Integer n)) {
            throw new IllegalArgumentException(what + ": code must be an integer, got " + code);
        }
        throw new FeedRequestRefusedException(resultCode(n), j.getValue("message") instanceof String m ? m : null);
    }

    private static ResultCode resultCode(int n) {
        ResultCode rc = ResultCode.ofCode(n);
        if (rc == null) {
            throw new IllegalArgumentException("unknown result code " + n);
        }
        return rc;
    }

    private static JsonObject object(Object body, String what) {
        if (body instanceof JsonObject j) {
            return j;
        }
        throw new IllegalArgumentException(what + " must be a JSON object, got "
                + (body == null ? "nothing" : body.getClass().getSimpleName()));
    }

    private static List<Long> longs(JsonObject j, String key) {
        if (!(j.getValue(key) instanceof JsonArray a)) {
            throw new IllegalArgumentException("info reply: " + key + " must be an array");
        }
        List<Long> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            Object v = a.getValue(i);
            if (!(v instanceof Integer || v instanceof Long)) {
                throw new IllegalArgumentException("info reply: " + key + "[" + i + "] must be an integer, got " + v);
            }
            out.add(((Number) v).longValue());
        }
        return out;
    }
}
