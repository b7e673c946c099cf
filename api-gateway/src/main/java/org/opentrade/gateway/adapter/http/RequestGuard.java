package org.opentrade.gateway.adapter.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.opentrade.gateway.domain.GatewayError;

/**
 * First line of defence, before any route: refuses over-long URIs, too many or too large headers,
 * and path tricks (dot segments, encoded slashes or backslashes, NUL) with the error model. The
 * HTTP server's own limits are set far above these so that oversize requests reach this guard and
 * get a JSON answer instead of a bare status line. Runs on every request, before routing.
 */
public final class RequestGuard implements GatewayFilter {
    public static final int MAX_URI_LENGTH = 8 * 1024;
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    public static final int MAX_HEADERS = 100;

    @Override
    public int order() {
        return ORDER_REQUEST_GUARD;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String uri = req.uri();
        if (uri.length() > MAX_URI_LENGTH) {
            Async.fail(ctx, new Rejection(GatewayError.INVALID_PARAMETER, "the URI is longer than " + MAX_URI_LENGTH + " bytes"));
            return;
        }
        int count = 0;
        int bytes = 0;
        for (Map.Entry<String, String> h : req.headers()) {
            count++;
            bytes += h.getKey().length() + h.getValue().length() + 4;
        }
        if (count > MAX_HEADERS || bytes > MAX_HEADER_BYTES) {
            Async.fail(ctx, new Rejection(GatewayError.BAD_HEADER, "too many or too large headers (at most " + MAX_HEADERS
                    + " headers, " + MAX_HEADER_BYTES + " bytes)"));
            return;
        }
        int query = uri.indexOf('?');
        String rawPath = query >= 0 ? uri.substring(0, query) : uri;
        if (!rawPath.startsWith("/") || suspicious(rawPath)) {
            Async.fail(ctx, new Rejection(GatewayError.INVALID_PARAMETER, "invalid request path"));
            return;
        }
        ctx.next();
    }

    private static boolean suspicious(String rawPath) {
        return encodedTrick(rawPath) || rawPath.indexOf('\\') >= 0 || rawPath.contains("//") || rawPath.contains("/./")
                || rawPath.contains("/../") || rawPath.endsWith("/..") || rawPath.endsWith("/.");
    }

    /** An encoded slash, backslash, NUL or dot ({@code %2f %5c %00 %2e}, any case). */
    private static boolean encodedTrick(String rawPath) {
        for (int i = rawPath.indexOf('%'); i >= 0 && i + 2 < rawPath.length(); i = rawPath.indexOf('%', i + 1)) {
            char hi = rawPath.charAt(i + 1);
            char lo = Character.toLowerCase(rawPath.charAt(i + 2));
            if ((hi == '2' && (lo == 'f' || lo == 'e')) || (hi == '5' && lo == 'c') || (hi == '0' && lo == '0')) {
                return true;
            }
        }
        return false;
    }
}
