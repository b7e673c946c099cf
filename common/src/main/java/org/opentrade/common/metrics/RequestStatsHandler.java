package org.opentrade.common.metrics;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.opentrade.common.web.AnswerEnd;

/**
 * Feeds a service's {@link RequestStats} from its Vert.x Web router: mounted first, it times each
 * request from its arrival to the end of its answer and labels it with the template of the route
 * that answered ({@code GET /v1/orders/:order_id}), or {@code unmatched} (no route, or one without a
 * path such as an authentication step that refused it). Never a raw path: the labels stay bounded
 * whatever paths clients send. Also keeps the count of requests in flight ({@link RequestStats#inFlight}),
 * WebSocket upgrades left out. On the event loop; never blocks.
 */
public final class RequestStatsHandler implements Handler<RoutingContext> {
    private final RequestStats stats;

    private RequestStatsHandler(RequestStats stats) {
        this.stats = stats;
    }

    /** Mounts the handler before every other route of {@code router}. */
    public static void mount(Router router, RequestStats stats) {
        router.route().order(Integer.MIN_VALUE).handler(new RequestStatsHandler(stats));
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        // A WebSocket upgrade becomes a stream, which a graceful stop closes rather than waits for.
        boolean request = !ctx.request().headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true);
        if (request) {
            stats.begun();
        }
        // At the answer's end, or as a stream opens (101): Vert.x Web runs no end handler for an upgraded request.
        AnswerEnd.on(ctx, (status, completed) -> {
            if (request) {
                stats.ended();
            }
            Route route = ctx.currentRoute();
            stats.record(RequestStats.routeLabel(ctx.request().method().name(), route == null ? null : route.getPath()),
                    status, System.nanoTime() - start, completed);
        });
        ctx.next();
    }
}
