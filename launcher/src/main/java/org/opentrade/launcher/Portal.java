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
    /**
     * Scripts, styles and everything else from this origin only: no inline script or style, no eval,
     * no framing; fetch and the WebSocket streams to this origin ('self' covers ws: on the same host).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

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
                    .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("X-Frame-Options", "DENY");
            ctx.next();
        }).handler(files);
    }
}
