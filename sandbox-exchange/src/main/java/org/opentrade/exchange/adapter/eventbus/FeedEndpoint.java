package org.opentrade.exchange.adapter.eventbus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.FeedBatchCodec;
import org.opentrade.exchange.domain.feed.DurableConsumers;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.ResultCode;

/**
 * Serves the feed's request-reply addresses ({@link ExchangeAddresses#FEED_REPLAY},
 * {@link ExchangeAddresses#FEED_CONSUMERS}, {@link ExchangeAddresses#FEED_INFO}; snapshots are
 * {@link SnapshotEndpoint}'s). Every request gets a reply, never a failure: a malformed one answers
 * -5011 BAD_FEED_REQUEST naming the field.
 *
 * <p>Handlers run on the registering context's event loop and never block: replays read the event
 * log on a worker, at most {@link #MAX_REPLAYS_IN_FLIGHT} at once (more answer -5007 ENGINE_OVERLOADED
 * at once), and a page is at most {@link #MAX_PAGE} events, so no caller can queue unbounded work or
 * memory.
 *
 * <p>With shards in several processes ({@link ShardRouter}) a replay or checkpoint for another
 * process's shard is forwarded to it, and info and unregistration are gathered from every owner (a
 * shard no process answers for: -5008 naming it).
 */
public final class FeedEndpoint {
    private static final Logger LOG = Logger.getLogger(FeedEndpoint.class.getName());
    /** Default replay page. */
    public static final int DEFAULT_PAGE = 1_000;
    /** Largest replay page: keeps a reply small (about 1-2 MB across a cluster). */
    public static final int MAX_PAGE = 10_000;
    /** Replays reading the log at once; each holds a worker thread. */
    public static final int MAX_REPLAYS_IN_FLIGHT = 8;

    private final Vertx vertx;
    private final ShardedExchange exchange;
    private final AtomicInteger replaysInFlight = new AtomicInteger();
    private final ShardRouter router;
    private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

    private FeedEndpoint(Vertx vertx, ShardedExchange exchange) {
        this.vertx = vertx;
        this.exchange = exchange;
        this.router = new ShardRouter(vertx, exchange);
        FeedBatchCodec.register(vertx);
        consumers.addAll(router.serve(ExchangeAddresses.FEED_REPLAY, this::replay,
                message -> FeedBatch.refused(-1, ResultCode.ENGINE_UNAVAILABLE, message, 0, 0)));
        consumers.addAll(router.serve(ExchangeAddresses.FEED_CONSUMERS, this::consumers, FeedEndpoint::unavailable));
        consumers.addAll(router.serve(ExchangeAddresses.FEED_INFO, this::info, FeedEndpoint::unavailable));
    }

    /** Registers the endpoint; completes once every address is registered. */
    public static Future<FeedEndpoint> register(Vertx vertx, ShardedExchange exchange) {
        FeedEndpoint e = new FeedEndpoint(vertx, exchange);
        return Future.all(e.consumers.stream().map(MessageConsumer::completion).toList()).map(e);
    }

    private void replay(Message<Object> request, boolean direct) {
        JsonObject body = json(request);
        int shard = body == null ? -1 : intField(body, "shard", -1);
        long after = body == null ? -1 : longField(body, "after_seq", -1);
        int max = body == null ? -1 : intField(body, "max_events", DEFAULT_PAGE);
        String problem = body == null ? "the request must be a JSON object"
                : shard < 0 || shard >= exchange.shardCount() ? "shard must be an integer in 0.." + (exchange.shardCount() - 1)
                : after < 0 ? "after_seq must be an integer >= 0"
                : max < 1 || max > MAX_PAGE ? "max_events must be an integer in 1.." + MAX_PAGE : null;
        if (problem != null) {
            request.reply(FeedBatch.refused(Math.max(shard, -1), ResultCode.BAD_FEED_REQUEST, problem, 0, 0));
            return;
        }
        if (!router.local(shard)) {
            if (direct) {
                // a per-shard address names its process, so a request there about another process's shard is
                // misaddressed: answered, not left to time out on the null dereference of a shard not run here
                request.reply(FeedBatch.refused(shard, ResultCode.BAD_FEED_REQUEST,
                        "shard must be one this exchange process runs", 0, 0));
                return;
            }
            router.forward(request, ExchangeAddresses.FEED_REPLAY, shard, body, null,
                    message -> FeedBatch.refused(shard, ResultCode.ENGINE_UNAVAILABLE, message, 0, 0));
            return;
        }
        if (replaysInFlight.incrementAndGet() > MAX_REPLAYS_IN_FLIGHT) {
            replaysInFlight.decrementAndGet();
            request.reply(FeedBatch.refused(shard, ResultCode.ENGINE_OVERLOADED,
                    "too many feed replays in flight; retry shortly", exchange.headSeq(shard),
                    exchange.firstKeptSeq(shard)));
            return;
        }
        vertx.executeBlocking(() -> exchange.replay(shard, after, max), false).onComplete(ar -> {
            replaysInFlight.decrementAndGet();
            if (ar.succeeded()) {
                request.reply(ar.result());
            } else {
                LOG.log(Level.SEVERE, "feed replay of shard " + shard + " after " + after + " failed", ar.cause());
                request.reply(FeedBatch.refused(shard, ResultCode.ENGINE_UNAVAILABLE, "the event log could not be read",
                        exchange.headSeq(shard), exchange.firstKeptSeq(shard)));
            }
        });
    }

    private void consumers(Message<Object> request, boolean direct) {
        JsonObject body = json(request);
        String op = body == null || !(body.getValue("op") instanceof String s) ? null : s;
        Object name = body == null ? null : body.getValue("consumer");
        if (!(name instanceof String consumer) || !DurableConsumers.NAME.matcher(consumer).matches()) {
            request.reply(bad("consumer must be 1..64 characters of [A-Za-z0-9._-]"));
            return;
        }
        if ("unregister".equals(op)) {
            boolean removed = exchange.unregister(consumer);
            if (direct) {
                request.reply(new JsonObject().put("code", 0).put("removed", removed));
                return;
            }
            // and on every other process's shards: one answer per shard, so a missing one is seen
            List<Future<Message<Object>>> others = new ArrayList<>();
            List<Integer> asked = new ArrayList<>();
            for (int shard = 0; shard < exchange.shardCount(); shard++) {
                if (!router.local(shard)) {
                    asked.add(shard);
                    others.add(router.ask(ExchangeAddresses.FEED_CONSUMERS, shard, body, null));
                }
            }
            Future.join(others).onComplete(done -> {
                boolean any = removed;
                for (int i = 0; i < others.size(); i++) {
                    Future<Message<Object>> f = others.get(i);
                    if (f.failed() || !(f.result().body() instanceof JsonObject j) || j.getInteger("code", -1) != 0) {
                        request.reply(unavailable(f.failed() ? ShardRouter.unreachable(asked.get(i), f.cause())
                                : "exchange shard " + asked.get(i) + " refused the unregistration"));
                        return;
                    }
                    any |= j.getBoolean("removed", false);
                }
                request.reply(new JsonObject().put("code", 0).put("removed", any));
            });
            return;
        }
        if (!"checkpoint".equals(op)) {
            request.reply(bad("op must be checkpoint or unregister"));
            return;
        }
        int shard = intField(body, "shard", -1);
        long seq = longField(body, "seq", -1);
        if (shard < 0 || shard >= exchange.shardCount()) {
            request.reply(bad("shard must be an integer in 0.." + (exchange.shardCount() - 1)));
            return;
        }
        if (!router.local(shard)) {
            if (direct) {
                request.reply(bad("shard must be one this exchange process runs"));
                return;
            }
            router.forward(request, ExchangeAddresses.FEED_CONSUMERS, shard, body, null, FeedEndpoint::unavailable);
            return;
        }
        DurableConsumers.Outcome outcome = exchange.checkpoint(consumer, shard, seq);
        switch (outcome) {
            case ACCEPTED -> request.reply(new JsonObject().put("code", 0)
                    .put("first_kept_seq", exchange.firstKeptSeq(shard)));
            case BAD_SEQ -> request.reply(bad("seq must be an integer in 0.." + exchange.headSeq(shard)
                    + " (the shard's last event)"));
            case TOO_MANY -> request.reply(bad("too many durable consumers on this shard; unregister one first"));
            default -> request.reply(bad("consumer must be 1..64 characters of [A-Za-z0-9._-]"));
        }
    }

    private void info(Message<Object> request, boolean direct) {
        if (direct) {
            // one shard of this process, for another process's answer about all of them
            JsonObject body = json(request);
            int shard = body == null ? -1 : intField(body, "shard", -1);
            if (!router.local(shard)) {
                request.reply(bad("shard must be one this exchange process runs"));
                return;
            }
            request.reply(new JsonObject().put("code", 0).put("shards", exchange.shardCount()).put("shard", shard)
                    .put("head_seq", exchange.headSeq(shard)).put("first_kept_seq", exchange.firstKeptSeq(shard)));
            return;
        }
        int n = exchange.shardCount();
        List<Future<long[]>> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int shard = i;
            parts.add(router.local(shard)
                    ? Future.succeededFuture(new long[] {exchange.headSeq(shard), exchange.firstKeptSeq(shard)})
                    : router.ask(ExchangeAddresses.FEED_INFO, shard, new JsonObject().put("shard", shard), null)
                            .compose(reply -> reply.body() instanceof JsonObject j && j.getInteger("code", -1) == 0
                                    ? Future.succeededFuture(new long[] {j.getLong("head_seq"), j.getLong("first_kept_seq")})
                                    : Future.failedFuture("exchange shard " + shard + " refused: " + reply.body())));
        }
        Future.join(parts).onComplete(done -> {
            JsonArray heads = new JsonArray();
            JsonArray firsts = new JsonArray();
            for (int i = 0; i < n; i++) {
                if (parts.get(i).failed()) {
                    request.reply(unavailable(ShardRouter.unreachable(i, parts.get(i).cause())));
                    return;
                }
                heads.add(parts.get(i).result()[0]);
                firsts.add(parts.get(i).result()[1]);
            }
            request.reply(new JsonObject().put("code", 0).put("shards", n).put("head_seq", heads)
                    .put("first_kept_seq", firsts));
        });
    }

    /** A refusal for a shard no process answers for (-5008 ENGINE_UNAVAILABLE). */
    static JsonObject unavailable(String message) {
        return new JsonObject().put("code", ResultCode.ENGINE_UNAVAILABLE.code())
                .put("result", ResultCode.ENGINE_UNAVAILABLE.name()).put("message", message);
    }

    static JsonObject bad(String message) {
        return new JsonObject().put("code", ResultCode.BAD_FEED_REQUEST.code()).put("result",
                ResultCode.BAD_FEED_REQUEST.name()).put("message", ResultCode.BAD_FEED_REQUEST.message() + ": " + message);
    }

    /** The body as a JSON object (also from its text), or null. */
    static JsonObject json(Message<Object> request) {
        Object b = request.body();
        try {
            if (b instanceof JsonObject j) {
                return j;
            }
            if (b instanceof String s) {
                return new JsonObject(s);
            }
            if (b instanceof io.vertx.core.buffer.Buffer buf) {
                return new JsonObject(buf);
            }
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
        return null;
    }

    /** An integral field, or {@code absent} when missing; -1 when present but not a non-negative int. */
    static int intField(JsonObject j, String key, int absent) {
        Object v = j.getValue(key);
        if (v == null) {
            return absent;
        }
        if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0
                && ((Number) v).longValue() <= Integer.MAX_VALUE) {
            return ((Number) v).intValue();
        }
        return -1;
    }

    /** An integral field, or {@code absent} when missing; -1 when present but not a non-negative long. */
    static long longField(JsonObject j, String key, long absent) {
        Object v = j.getValue(key);
        if (v == null) {
            return absent;
        }
        if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0) {
            return ((Number) v).longValue();
        }
        return -1;
    }

    /** Stops serving. */
    public Future<Void> close() {
        return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
    }
}
