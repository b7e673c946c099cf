package org.opentrade.trade.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentrade.trade.adapter.redis.RedisServer;

/**
 * {@link TradeCrashIT} with trade-api's intents and snapshots in Redis ({@code store.backend: redis}):
 * one redis-server for the class (append-only, appendfsync always) outlives every kill -9 of the node
 * running the exchange and trade-api; losing the snapshots is deleting their keys.
 *
 * <p>Besides, in round 1 the redis-server itself is killed with SIGKILL while trade-api is under load,
 * and started again on the same port and directory. What trade-api does meanwhile (checked here): the
 * first intent append that fails (connection lost, or refused while Lettuce is disconnected) stops its
 * intent store for good — that intent's outcome is unknown. Requests whose intent was in flight are
 * answered 504 -9002 with {@code "order_status": "unknown"} and the lookup URL; every later mutation
 * is answered 503 -9001 (error model, {@code Retry-After}); {@code /ready} answers 503 naming the
 * failed store. trade-api does not reopen the store by itself once Redis is back (it would have to
 * re-read the log to learn which unknown intents landed): it needs a restart — here the kill -9 that
 * follows, in production its supervisor, as {@code /health} then answers 503 too. After the restart
 * every order acknowledged before, during and after the Redis crash is there (the checks of
 * {@link TradeCrashIT}).
 */
class TradeCrashRedisIT extends TradeCrashIT {
    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    /** Answers the load node printed (orders and commands), not acknowledgements. */
    private static final Predicate<String> ANSWER = l -> l.startsWith("NACK ") || l.startsWith("CMD ");

    @Override
    List<String> nodeJvmArgs() {
        return List.of("-D" + TradeCrashNode.REDIS_PROPERTY + "=" + REDIS.uri());
    }

    @Override
    boolean holdsSnapshot() throws java.io.IOException {
        return REDIS.command("ZCARD", TradeCrashNode.REDIS_SNAPSHOTS).matches(":[1-9][0-9]*");
    }

    @Override
    void deleteSnapshots() throws java.io.IOException {
        assertTrue(REDIS.command("ZCARD", TradeCrashNode.REDIS_SNAPSHOTS).matches(":[1-9][0-9]*"),
                "trade-api wrote no snapshots to redis");
        REDIS.command("EVAL", "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end return 1",
                "0", "ot:trade:0:snapshot*");
        assertEquals(":0", REDIS.command("ZCARD", TradeCrashNode.REDIS_SNAPSHOTS));
    }

    @Override
    void underLoad(Node load, int run, String where) throws Exception {
        if (run != 1) {
            return;
        }
        int killed = load.size();
        REDIS.kill();
        load.await(killed, ANSWER, 2 * TradeCrashNode.ACCOUNTS * TradeCrashNode.LANES, ACKS_S,
                "answers while redis is down" + where);
        // The per-account order rate limit (429 -4109) is checked before any intent, so a burst of
        // answers can all be rate refusals; the store being down shows in the first request past it.
        load.await(killed, l -> l.endsWith(" 503 -9001"), 1, ACKS_S, "a 503 -9001 while redis is down" + where);
        List<String> down = load.since(killed);
        for (String l : down) {
            // a 2xx here answers a request whose intent Redis had stored just before it was killed
            if (ANSWER.test(l) && !isSuccess(l)) {
                assertTrue(inErrorModel(l), "while redis is down a request got '" + l + "': not the error model, or a"
                        + " 500" + where);
            }
        }
        assertTrue(down.stream().anyMatch(l -> l.endsWith(" 503 -9001")), "no 503 while redis is down: " + down + where);
        HttpResponse<String> ready = get(load.port(), "/ready");
        assertEquals(503, ready.statusCode(), "/ready while the intent store is down: " + ready.body() + where);
        assertTrue(ready.body().contains("intent"), "/ready names the intent store: " + ready.body() + where);

        REDIS.restart();
        int back = load.size();
        load.await(back, ANSWER, 2 * TradeCrashNode.ACCOUNTS * TradeCrashNode.LANES, ACKS_S,
                "answers after redis is back" + where);
        for (String l : load.since(back)) {
            assertTrue(!l.startsWith("ACK ") && (!ANSWER.test(l) || inErrorModel(l)),
                    "after redis is back, before a restart, a request got '" + l + "'" + where);
        }
        assertEquals(503, get(load.port(), "/health").statusCode(), "/health asks for a restart" + where);
    }

    /**
     * A NACK or CMD line answered with the error model and not 500: {@code … <status> <error_no>}. Refusals
     * by trade-api's own rules (409, 422: decided before any intent) are fine; a store that is down is 503
     * -9001, an intent lost in flight 504 -9002.
     */
    private static boolean inErrorModel(String line) {
        String[] f = line.split(" ");
        return f.length >= 5 && f[f.length - 1].matches("-[0-9]{4}") && f[f.length - 2].matches("[2-5][0-9][0-9]")
                && !f[f.length - 2].equals("500");
    }

    /** A CMD line answered 2xx: {@code CMD <account> <kind> <status>}. */
    private static boolean isSuccess(String line) {
        String[] f = line.split(" ");
        return f.length == 4 && f[0].equals("CMD") && f[3].matches("2[0-9][0-9]");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
