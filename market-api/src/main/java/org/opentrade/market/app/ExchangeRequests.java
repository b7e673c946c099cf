package org.opentrade.market.app;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.model.BookSnapshot;

/** Start-up requests to the exchange, each retried until it answers. Event loop; never blocks. */
final class ExchangeRequests {
    private static final Logger LOG = Logger.getLogger(ExchangeRequests.class.getName());
    private static final long RETRY_MS = 1000;

    private ExchangeRequests() {
    }

    /** Every shard's books (with resting orders) at one seq per shard. */
    static Future<Map<Integer, MarketApiService.ShardBooks>> shardSnapshots(Vertx vertx) {
        return retry(vertx, ExchangeAddresses.FEED_INFO, new JsonObject()).compose(info -> {
            int shards = info.getInteger("shards", 0);
            List<Future<JsonObject>> all = new ArrayList<>();
            for (int i = 0; i < shards; i++) {
                all.add(retry(vertx, ExchangeAddresses.FEED_SNAPSHOT, new JsonObject().put("shard", i).put("orders", true)));
            }
            return Future.all(all).map(cf -> {
                Map<Integer, MarketApiService.ShardBooks> out = new TreeMap<>();
                for (int i = 0; i < shards; i++) {
                    JsonObject reply = cf.resultAt(i);
                    List<BookSnapshot> books = new ArrayList<>();
                    JsonArray list = reply.getJsonArray("snapshots", new JsonArray());
                    for (Object o : list) {
                        books.add(ExchangeJson.bookSnapshotFromJson((JsonObject) o));
                    }
                    out.put(i, new MarketApiService.ShardBooks(reply.getLong("seq", 0L), books));
                }
                return out;
            });
        });
    }

    private static Future<JsonObject> retry(Vertx vertx, String address, JsonObject request) {
        Promise<JsonObject> p = Promise.promise();
        attempt(vertx, address, request, p, 0);
        return p.future();
    }

    private static void attempt(Vertx vertx, String address, JsonObject request, Promise<JsonObject> p, int n) {
        vertx.eventBus().request(address, request).onComplete(ar -> {
            if (ar.succeeded() && ar.result().body() instanceof JsonObject body && body.getInteger("code", 0) == 0) {
                p.complete(body);
                return;
            }
            if (n % 10 == 0) {
                LOG.warning("exchange request " + address + " failed (" + (ar.failed() ? ar.cause().getMessage()
                        : ar.result().body()) + "); retrying every " + RETRY_MS + " ms");
            }
            vertx.setTimer(RETRY_MS, id -> attempt(vertx, address, request, p, n + 1));
        });
    }
}
