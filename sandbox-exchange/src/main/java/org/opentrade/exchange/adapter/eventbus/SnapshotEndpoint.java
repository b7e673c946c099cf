package org.opentrade.exchange.adapter.eventbus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.client.Shards;
import org.opentrade.exchange.domain.MatchingEngine;
import org.opentrade.exchange.model.AccountSnapshot;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.ResultCode;

/**
 * Serves {@link ExchangeAddresses#FEED_SNAPSHOT}: book snapshots per symbol or per shard (all of its
 * symbols at one sequence) and account snapshots (live orders, one entry per shard). The engine is
 * read between commands on its shard thread; the JSON is built here, on the event loop.
 *
 * <p>Replies: {@code {"code":0,"snapshot":{…}}}, {@code {"code":0,"shard":0,"seq":123,"snapshots":[…]}},
 * {@code {"code":0,"accounts":[…]}}; refusals {@code {"code":<negative>,"message":…}}: -5011 for a
 * malformed request, -5001 for an unknown symbol, -5007 when the shard's ring is full. Never blocks.
 * With shards in several processes ({@link ShardRouter}) a symbol's or shard's snapshot is asked of
 * its owner, and an account's entries are gathered from every owner (-5008 when one does not answer).
 */
public final class SnapshotEndpoint {
    private static final Logger LOG = Logger.getLogger(SnapshotEndpoint.class.getName());
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    private final ShardedExchange exchange;
    private final Context context;
    private final ShardRouter router;
    private final List<MessageConsumer<Object>> consumers;

    private SnapshotEndpoint(Vertx vertx, ShardedExchange exchange) {
        this.exchange = exchange;
        this.context = vertx.getOrCreateContext();
        this.router = new ShardRouter(vertx, exchange);
        this.consumers = router.serve(ExchangeAddresses.FEED_SNAPSHOT, this::handle, FeedEndpoint::unavailable);
    }

    /** Registers the endpoint; completes once the addresses are registered. */
    public static Future<SnapshotEndpoint> register(Vertx vertx, ShardedExchange exchange) {
        SnapshotEndpoint e = new SnapshotEndpoint(vertx, exchange);
        return Future.all(e.consumers.stream().map(MessageConsumer::completion).toList()).map(e);
    }

    /** {@code direct}: asked on this process's per-shard address, so answered here and never forwarded. */
    private void handle(Message<Object> request, boolean direct) {
        JsonObject body = FeedEndpoint.json(request);
        if (body == null) {
            request.reply(FeedEndpoint.bad("the request must be a JSON object"));
            return;
        }
        Object ordersFlag = body.getValue("orders", false);
        if (!(ordersFlag instanceof Boolean withOrders)) {
            request.reply(FeedEndpoint.bad("orders must be true or false"));
            return;
        }
        Object symbol = body.getValue("symbol");
        Object account = body.getValue("account");
        Object shard = body.getValue("shard");
        int asked = (symbol != null ? 1 : 0) + (account != null ? 1 : 0) + (shard != null ? 1 : 0);
        if (asked != 1) {
            request.reply(FeedEndpoint.bad("give exactly one of symbol, shard or account"));
        } else if (symbol != null) {
            if (!(symbol instanceof String s) || !SYMBOL.matcher(s).matches()) {
                request.reply(FeedEndpoint.bad("symbol must be an instrument code such as 600000.SH"));
                return;
            }
            int owner = Shards.of(s, exchange.shardCount());
            if (!direct && !router.local(owner)) {
                router.forward(request, ExchangeAddresses.FEED_SNAPSHOT, owner, body, null, FeedEndpoint::unavailable);
                return;
            }
            reply(request, exchange.bookSnapshot(s, withOrders), snap -> snap == null
                    ? refusal(ResultCode.UNKNOWN_SYMBOL, "no instrument " + s)
                    : new JsonObject().put("code", 0).put("snapshot", ExchangeJson.toJson(snap)));
        } else if (shard != null) {
            int n = FeedEndpoint.intField(body, "shard", -1);
            if (n < 0 || n >= exchange.shardCount()) {
                request.reply(FeedEndpoint.bad("shard must be an integer in 0.." + (exchange.shardCount() - 1)));
                return;
            }
            if (!direct && !router.local(n)) {
                router.forward(request, ExchangeAddresses.FEED_SNAPSHOT, n, body, null, FeedEndpoint::unavailable);
                return;
            }
            reply(request, exchange.shardSnapshot(n, withOrders), snap -> new JsonObject().put("code", 0)
                    .put("shard", n).put("seq", snap.seq()).put("snapshots", books(snap.books())));
        } else {
            if (!(account instanceof String a) || a.isBlank() || a.length() > MatchingEngine.MAX_TEXT_LENGTH) {
                request.reply(FeedEndpoint.bad("account must be a non-empty string of at most "
                        + MatchingEngine.MAX_TEXT_LENGTH + " characters"));
                return;
            }
            if (direct || exchange.ownsAll()) {
                reply(request, exchange.accountSnapshot(a), list -> new JsonObject().put("code", 0)
                        .put("accounts", accounts(list)));
            } else {
                accountEverywhere(request, a, body);
            }
        }
    }

    /** This process's shards' entries and, from each other shard's owner, that shard's entry. */
    private void accountEverywhere(Message<Object> request, String account, JsonObject body) {
        Future<List<AccountSnapshot>> local = Future.fromCompletionStage(exchange.accountSnapshot(account), context);
        List<Future<JsonObject>> remote = new ArrayList<>();
        for (int shard = 0; shard < exchange.shardCount(); shard++) {
            if (!router.local(shard)) {
                int asked = shard;
                remote.add(router.ask(ExchangeAddresses.FEED_SNAPSHOT, shard, body, null).compose(reply -> {
                    if (reply.body() instanceof JsonObject j && j.getInteger("code", -1) == 0
                            && j.getValue("accounts") instanceof JsonArray entries) {
                        // an owner of several shards answers for all of them: keep the one asked here
                        for (Object e : entries) {
                            if (e instanceof JsonObject entry && Integer.valueOf(asked).equals(entry.getInteger("shard"))) {
                                return Future.succeededFuture(entry);
                            }
                        }
                    }
                    return Future.failedFuture("exchange shard " + asked + " answered no account entry: " + reply.body());
                }).recover(err -> Future.failedFuture(ShardRouter.unreachable(asked, err))));
            }
        }
        Future.join(local, Future.join(remote)).onComplete(done -> {
            if (local.failed()) {
                LOG.log(Level.WARNING, "account snapshot failed", local.cause());
                request.reply(refusal(ResultCode.ENGINE_OVERLOADED, "the shard is busy; retry shortly"));
                return;
            }
            for (Future<JsonObject> f : remote) {
                if (f.failed()) {
                    request.reply(FeedEndpoint.unavailable(f.cause().getMessage()));
                    return;
                }
            }
            List<JsonObject> entries = new ArrayList<>();
            local.result().forEach(snapshot -> entries.add(ExchangeJson.toJson(snapshot)));
            remote.forEach(f -> entries.add(f.result()));
            entries.sort(Comparator.comparingInt(entry -> entry.getInteger("shard")));
            JsonArray accounts = new JsonArray();
            entries.forEach(accounts::add);
            request.reply(new JsonObject().put("code", 0).put("accounts", accounts));
        });
    }

    private <T> void reply(Message<Object> request, CompletionStage<T> stage, Function<T, JsonObject> render) {
        Future.fromCompletionStage(stage, context).onComplete(ar -> {
            if (ar.succeeded()) {
                request.reply(render.apply(ar.result()));
            } else {
                LOG.log(Level.WARNING, "snapshot request failed", ar.cause());
                request.reply(refusal(ResultCode.ENGINE_OVERLOADED, "the shard is busy; retry shortly"));
            }
        });
    }

    private static JsonArray books(List<BookSnapshot> list) {
        JsonArray a = new JsonArray();
        list.forEach(b -> a.add(ExchangeJson.toJson(b)));
        return a;
    }

    private static JsonArray accounts(List<AccountSnapshot> list) {
        JsonArray a = new JsonArray();
        list.forEach(s -> a.add(ExchangeJson.toJson(s)));
        return a;
    }

    private static JsonObject refusal(ResultCode code, String message) {
        return new JsonObject().put("code", code.code()).put("result", code.name()).put("message", message);
    }

    /** Stops serving. */
    public Future<Void> close() {
        return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
    }
}
