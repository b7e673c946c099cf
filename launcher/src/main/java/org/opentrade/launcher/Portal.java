package org.opentrade.launcher;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The developer portal at {@code /} and the API contract at {@code /openapi/opentrade.yaml}: static
 * files packed into the launcher jar under {@code webroot/} (from {@code portal-static/} and
 * {@code openapi/}). Mounted after the gateway and the operations endpoints, for GET and HEAD
 * outside {@code /v1/}, so an unknown API path still gets the gateway's JSON 404.
 */
final class Portal {
    /** Classpath folder of the portal's files. */
    static final String WEBROOT = "webroot";

    private Portal() {
    }

    static void addRoutes(Router router) {
        StaticHandler files = StaticHandler.create(WEBROOT).setIndexPage("index.html")
                .setDirectoryListing(false).setIncludeHidden(false).setMaxAgeSeconds(60);
        // One route for both methods: two routes would make a GET of a missing file a 405 (HEAD matched the path).
        router.routeWithRegex("^/(?!v1/).*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            ctx.response().putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Security-Policy", "default-src 'self'; connect-src 'self'");
            ctx.next();
        }).handler(files);
    }
}
