package org.opentrade.launcher;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.charset.StandardCharsets;

/**
 * The developer portal at {@code /} and the API contract at {@code /openapi/opentrade.yaml}: static
 * files packed into the launcher jar under {@code webroot/} (from {@code portal-static/} and
 * {@code openapi/}). Mounted after the gateway and the operations endpoints, for GET and HEAD
 * outside {@code /v1/}, so an unknown API path still gets the gateway's JSON 404. An address with no
 * file gets the portal's 404 page when a browser asks for a page ({@code Accept: text/html}), else the
 * same JSON 404 as any unknown path; {@code /guides/} and {@code /guides/zh/} (folders, no page) go to
 * the home page's list of guides.
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
        // The files are UTF-8 (the Chinese guides, the "·" of every title). Vert.x otherwise names the JVM's default
        // charset in a text file's Content-Type, which on Java 17 under a POSIX locale (LANG unset: a service, cron, a
        // bare container) is US-ASCII; browsers then decode the pages as windows-1252 (the header wins over
        // <meta charset>) and show mojibake.
        StaticHandler files = StaticHandler.create(WEBROOT).setIndexPage("index.html")
                .setDirectoryListing(false).setIncludeHidden(false).setMaxAgeSeconds(60)
                .setDefaultContentEncoding(StandardCharsets.UTF_8.name());
        // One route for both methods: two routes would make a GET of a missing file a 405 (HEAD matched the path).
        router.routeWithRegex("^/(?!v1/).*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            ctx.response().putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("X-Frame-Options", "DENY");
            ctx.next();
        }).handler(files).handler(Portal::noFile);
    }

    /** The 404 page for browsers: read once from the jar. Empty when the webroot lacks it (then JSON 404s only). */
    private static final Buffer NOT_FOUND_PAGE = notFoundPage();

    /** After the static handler found no file for the path. */
    private static void noFile(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (GUIDE_FOLDERS.contains(path)) {
            ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, "/#guides").end();
            return;
        }
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        if (NOT_FOUND_PAGE.length() == 0 || accept == null || !accept.contains("text/html")) {
            ctx.next(); // the gateway's JSON 404
            return;
        }
        ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(NOT_FOUND_PAGE);
    }

    private static final java.util.Set<String> GUIDE_FOLDERS = java.util.Set.of("/guides", "/guides/", "/guides/zh",
            "/guides/zh/");

    private static Buffer notFoundPage() {
        try (java.io.InputStream in = Portal.class.getClassLoader().getResourceAsStream(WEBROOT + "/404.html")) {
            return in == null ? Buffer.buffer() : Buffer.buffer(in.readAllBytes());
        } catch (java.io.IOException e) {
            return Buffer.buffer();
        }
    }
}
