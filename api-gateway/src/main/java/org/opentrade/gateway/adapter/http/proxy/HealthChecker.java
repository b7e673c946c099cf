package org.opentrade.gateway.adapter.http.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.function.Supplier;

/**
 * Active health checks: every interval, GET the health path on each instance the pool has now
 * (the set changes when discovery does); a 2xx within the health timeout passes, anything else
 * fails. One check per instance is in flight at a time, so a hanging instance never piles up
 * probes. The checks use their own small client, so a pool of connections saturated by traffic
 * does not make healthy instances look dead. Runs on the context that created the pool; never blocks.
 */
final class HealthChecker {
    private final Vertx vertx;
    private final HttpClient client;
    private final Supplier<List<UpstreamInstance>> instances;
    private final UpstreamPoolOptions options;
    private long timerId = -1;

    HealthChecker(Vertx vertx, HttpClient client, Supplier<List<UpstreamInstance>> instances, UpstreamPoolOptions options) {
        this.vertx = vertx;
        this.client = client;
        this.instances = instances;
        this.options = options;
    }

    void start() {
        timerId = vertx.setPeriodic(options.getHealthInterval().toMillis(), id -> checkAll());
    }

    void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    private void checkAll() {
        for (UpstreamInstance instance : instances.get()) {
            if (!instance.checking) {
                check(instance);
            }
        }
    }

    private void check(UpstreamInstance instance) {
        instance.checking = true;
        long timeout = options.getHealthTimeout().toMillis();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
                .setHost(instance.host()).setPort(instance.port()).setURI(options.getHealthPath())
                .setConnectTimeout(timeout).setIdleTimeout(timeout);
        client.request(request)
                .compose(req -> req.send().compose(resp -> resp.body().map(body -> resp.statusCode())))
                .onComplete(ar -> {
                    instance.checking = false;
                    instance.recordCheck(ar.succeeded() && ar.result() / 100 == 2);
                });
    }
}
