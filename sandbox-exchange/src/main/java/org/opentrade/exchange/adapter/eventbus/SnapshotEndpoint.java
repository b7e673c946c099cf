package org.opentrade.exchange.adapter.eventbus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
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
 */
public final class SnapshotEndpoint {
    private static final Logger LOG = Logger.getLogger(SnapshotEndpoint.class.getName());
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    private final ShardedExchange exchange;
    private final Context context;
    private final MessageConsumer<Object> consumer;

    private SnapshotEndpoint(Vertx vertx, ShardedExchange exchange) {
        this.exchange = exchange;
        this.context = vertx.getOrCreateContext();
        this.consumer = vertx.eventBus().consumer(ExchangeAddresses.FEED_SNAPSHOT, this::handle);
    }

    /** Registers the endpoint; completes once the address is registered. */
    public static Future<SnapshotEndpoint> register(Vertx vertx, ShardedExchange exchange) {
        SnapshotEndpoint e = new SnapshotEndpoint(vertx, exchange);
        return e.consumer.completion().map(e);
    }

    private void handle(Message<Object> request) {
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
            reply(request, exchange.bookSnapshot(s, withOrders), snap -> snap == null
                    ? refusal(ResultCode.UNKNOWN_SYMBOL, "no instrument " + s)
                    : new JsonObject().put("code", 0).put("snapshot", ExchangeJson.toJson(snap)));
        } else if (shard != null) {
            int n = FeedEndpoint.intField(body, "shard", -1);
            if (n < 0 || n >= exchange.shardCount()) {
                request.reply(FeedEndpoint.bad("shard must be an integer in 0.." + (exchange.shardCount() - 1)));
                return;
            }
            long seq = exchange.headSeq(n);
            reply(request, exchange.shardSnapshot(n, withOrders), list -> new JsonObject().put("code", 0)
                    .put("shard", n).put("seq", list.isEmpty() ? seq : list.get(0).seq())
                    .put("snapshots", books(list)));
        } else {
            if (!(account instanceof String a) || a.isBlank() || a.length() > MatchingEngine.MAX_TEXT_LENGTH) {
                request.reply(FeedEndpoint.bad("account must be a non-empty string of at most "
                        + MatchingEngine.MAX_TEXT_LENGTH + " characters"));
                return;
            }
            reply(request, exchange.accountSnapshot(a), list -> new JsonObject().put("code", 0)
                    .put("accounts", accounts(list)));
        }
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
        return consumer.unregister();
    }
}
