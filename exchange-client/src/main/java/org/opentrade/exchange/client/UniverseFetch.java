package org.opentrade.exchange.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.opentrade.exchange.model.Universe;

/**
 * Asks the exchange for its universe ({@link ExchangeAddresses#INSTRUMENTS}) until it answers one this
 * build can read: what market-api and trade-api need before anything else. Each failed try reports why to
 * {@code problem} (the service's {@code /ready} reason), so an operator sees "the instruments reply is
 * unreadable: bad eps" instead of a bare "waiting for the exchange": an exchange that answers, but in a
 * shape this build cannot read, looked like one that was not there. An unreadable reply is logged when its
 * reason first appears or changes, not on every retry. Runs on the caller's context; never blocks.
 */
public final class UniverseFetch {
    private static final Logger LOG = Logger.getLogger(UniverseFetch.class.getName());

    private final Vertx vertx;
    private final long retryMillis;
    private final Consumer<String> problem;
    private final String service;
    private String lastLogged;

    private UniverseFetch(Vertx vertx, long retryMillis, Consumer<String> problem, String service) {
        this.vertx = vertx;
        this.retryMillis = retryMillis;
        this.problem = problem;
        this.service = service;
    }

    /**
     * The exchange's universe, once read; until then a try every {@code retryMillis}, each failure told to
     * {@code problem}. {@code service} names the caller in the log.
     */
    public static Future<Universe> fetch(Vertx vertx, long retryMillis, Consumer<String> problem, String service) {
        Promise<Universe> promise = Promise.promise();
        new UniverseFetch(vertx, retryMillis, problem, service).ask(promise);
        return promise.future();
    }

    private void ask(Promise<Universe> promise) {
        vertx.eventBus().request(ExchangeAddresses.INSTRUMENTS, new JsonObject()).onComplete(ar -> {
            String reason;
            if (ar.failed()) {
                reason = "waiting for the exchange (" + ExchangeAddresses.INSTRUMENTS + ": " + ar.cause().getMessage() + ")";
            } else if (!(ar.result().body() instanceof JsonObject body)) {
                reason = unreadable("not a JSON object");
            } else if (body.getInteger("code", -1) != 0) {
                reason = "the exchange refused the instruments request (" + body.encode() + ")";
            } else {
                try {
                    promise.complete(ExchangeJson.universeFromJson(body));
                    return;
                } catch (RuntimeException e) { // IllegalArgumentException naming the field, or a wrong JSON type
                    reason = unreadable(e.getMessage());
                }
            }
            problem.accept(reason);
            vertx.setTimer(retryMillis, id -> ask(promise));
        });
    }

    private String unreadable(String why) {
        String reason = "the exchange's instruments reply is unreadable by this build: " + why;
        if (!reason.equals(lastLogged)) {
            lastLogged = reason;
            LOG.warning(service + ": " + reason + "; asking again every " + retryMillis + " ms");
        }
        return reason;
    }
}
