package org.opentrade.exchange.client.feed.eventbus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.client.FeedBatchCodec;
import org.opentrade.exchange.model.AccountSnapshot;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * A tiny stand-in for the exchange's feed endpoints, as {@link ExchangeAddresses} describes them:
 * enough to prove the adapter's request and reply shapes end to end. It records every request body.
 * Its state is touched from its handlers (one event loop) and from the test thread between awaits.
 */
final class FakeFeedServer {
    final List<JsonObject> requests = new CopyOnWriteArrayList<>();
    final List<List<ExchangeEvent>> logs = new ArrayList<>();
    volatile long firstKept = 1;
    volatile BookSnapshot book;
    volatile AccountSnapshot account;
    private final Vertx vertx;
    private final Map<JsonObject, CompletableFuture<Void>> waiters = new HashMap<>();

    FakeFeedServer(Vertx vertx, int shards) {
        this.vertx = vertx;
        for (int s = 0; s < shards; s++) {
            logs.add(new CopyOnWriteArrayList<>());
        }
    }

    Future<Void> start() {
        FeedBatchCodec.register(vertx);
        return Future.all(List.of(
                vertx.eventBus().<JsonObject>consumer(ExchangeAddresses.FEED_INFO, this::info).completion(),
                vertx.eventBus().<JsonObject>consumer(ExchangeAddresses.FEED_REPLAY, this::replay).completion(),
                vertx.eventBus().<JsonObject>consumer(ExchangeAddresses.FEED_SNAPSHOT, this::snapshot).completion(),
                vertx.eventBus().<JsonObject>consumer(ExchangeAddresses.FEED_CONSUMERS, this::consumers)
                        .completion())).mapEmpty();
    }

    /** Completes when a request equal to {@code expected} has arrived (or already had). */
    synchronized CompletableFuture<Void> awaitRequest(JsonObject expected) {
        CompletableFuture<Void> arrived = new CompletableFuture<>();
        if (requests.contains(expected)) {
            arrived.complete(null);
        } else {
            waiters.put(expected, arrived);
        }
        return arrived;
    }

    private synchronized void record(JsonObject request) {
        requests.add(request);
        CompletableFuture<Void> waiter = waiters.remove(request);
        if (waiter != null) {
            waiter.complete(null);
        }
    }

    static ExchangeEvent event(int shard, long seq) {
        return new ExchangeEvent(seq, shard, EventType.ACCEPTED, seq, "alice", 0, null, "600000.SH", Side.BUY,
                OrderType.LIMIT, TimeInForce.GTC, 1001, 100, 100, 0, 0, ResultCode.OK, seq, null);
    }

    /** Appends {@code n} events to {@code shard}; publishes them unless {@code lost}. */
    FeedBatch append(int shard, int n, boolean lost) {
        List<ExchangeEvent> log = logs.get(shard);
        List<ExchangeEvent> added = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ExchangeEvent e = event(shard, log.size() + 1);
            log.add(e);
            added.add(e);
        }
        FeedBatch b = FeedBatch.of(shard, log.size(), firstKept, added);
        if (!lost) {
            vertx.eventBus().publish(ExchangeAddresses.feed(shard), b);
        }
        return b;
    }

    private void info(Message<JsonObject> m) {
        record(m.body());
        JsonArray heads = new JsonArray();
        JsonArray kept = new JsonArray();
        for (List<ExchangeEvent> log : logs) {
            heads.add((long) log.size());
            kept.add(firstKept);
        }
        m.reply(new JsonObject().put("code", 0).put("shards", logs.size()).put("head_seq", heads)
                .put("first_kept_seq", kept));
    }

    private void replay(Message<JsonObject> m) {
        JsonObject r = m.body();
        record(r);
        if (!(r.getValue("shard") instanceof Integer shard) || shard < 0 || shard >= logs.size()
                || !(r.getValue("after_seq") instanceof Number after)) {
            m.reply(FeedBatch.refused(0, ResultCode.BAD_FEED_REQUEST, "shard and after_seq are required", 0, 0));
            return;
        }
        int max = r.getInteger("max_events", 1000);
        if (max > 10_000) {
            m.fail(ResultCode.BAD_FEED_REQUEST.code(), "max_events must be at most 10000");
            return;
        }
        List<ExchangeEvent> log = logs.get(shard);
        if (after.longValue() + 1 < firstKept) {
            m.reply(FeedBatch.refused(shard, ResultCode.EVENTS_NOT_RETAINED, "pruned", log.size(), firstKept));
            return;
        }
        int from = (int) Math.min(after.longValue(), log.size());
        int to = Math.min(log.size(), from + max);
        m.reply(FeedBatch.of(shard, log.size(), firstKept, new ArrayList<>(log.subList(from, to))));
    }

    private void snapshot(Message<JsonObject> m) {
        JsonObject r = m.body();
        record(r);
        if (r.containsKey("shard")) {
            // As the exchange answers: the shard's sequence beside its books; a shard without symbols has none.
            int shard = r.getInteger("shard");
            m.reply(new JsonObject().put("code", 0).put("shard", shard)
                    .put("seq", book == null ? logs.get(shard).size() : book.seq())
                    .put("snapshots", book == null ? new JsonArray() : new JsonArray().add(ExchangeJson.toJson(book))));
        } else if (r.containsKey("symbol")) {
            m.reply(new JsonObject().put("code", 0).put("snapshot", book == null ? null : ExchangeJson.toJson(book)));
        } else if (r.getValue("account") instanceof String) {
            m.reply(new JsonObject().put("code", 0).put("accounts", new JsonArray().add(ExchangeJson.toJson(account))));
        } else {
            m.reply(new JsonObject().put("code", ResultCode.BAD_FEED_REQUEST.code())
                    .put("message", "one of shard, symbol or account is required"));
        }
    }

    private void consumers(Message<JsonObject> m) {
        record(m.body());
        m.reply(new JsonObject().put("code", 0));
    }
}
