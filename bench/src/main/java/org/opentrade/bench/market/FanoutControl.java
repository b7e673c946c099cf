package org.opentrade.bench.market;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.lang.management.ManagementFactory;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;

/**
 * The control HTTP server both fan-out servers share ({@link StreamFanoutServer}, {@link StreamFanoutFloor}),
 * on a Vert.x of its own so that it answers while the measured event loop is saturated:
 * {@code POST /drive?rate=R} starts the driver, {@code POST /stop} stops it, {@code GET /heap} runs
 * {@code System.gc()} three times and answers the heap in use with the counters, {@code GET /metrics.json}
 * the counters, {@code GET /cpu} this process's CPU time so far. Loopback only.
 */
final class FanoutControl {
    private FanoutControl() {
    }

    /**
     * @param drive   starts the driver at a rate and answers what the client needs to time the ticks
     * @param stop    stops the driver and answers what it did
     * @param metrics the server's integer counters, read on the control loop
     */
    static Router router(Vertx controlVertx, DoubleFunction<JsonObject> drive, Supplier<JsonObject> stop,
                         Supplier<JsonObject> metrics) {
        Router router = Router.router(controlVertx);
        router.post("/drive").handler(ctx -> {
            double rate = Double.parseDouble(ctx.request().getParam("rate", "100"));
            json(ctx.response(), drive.apply(rate).put("driving", true).put("rate", rate));
        });
        router.post("/stop").handler(ctx -> json(ctx.response(), stop.get()));
        router.get("/heap").handler(ctx -> controlVertx.executeBlocking(() -> {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }).onSuccess(used -> json(ctx.response(), metrics.get().put("heap_used", used))));
        router.get("/metrics.json").handler(ctx -> json(ctx.response(), metrics.get()));
        router.get("/cpu").handler(ctx -> json(ctx.response(), new JsonObject().put("process_cpu_ns", processCpuNanos())));
        return router;
    }

    static Future<Integer> listen(Vertx controlVertx, Router router, int port) {
        return controlVertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").map(s -> s.actualPort());
    }

    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static void json(HttpServerResponse response, JsonObject body) {
        response.putHeader("Content-Type", "application/json").end(body.encode());
    }
}
