package org.opentrade.common.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

/**
 * Routes of resources that are read: GET and HEAD alike (RFC 9110 §9.3.2: every resource that answers GET
 * answers HEAD, which uptime monitors use). Vert.x sends a HEAD's answer without its body.
 */
public final class ReadRoutes {
    private ReadRoutes() {
    }

    /** A route on {@code router} for GET and HEAD of {@code path}. */
    public static Route getAndHead(Router router, String path) {
        return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
    }
}
