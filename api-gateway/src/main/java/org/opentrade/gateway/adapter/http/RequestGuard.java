package org.opentrade.gateway.adapter.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.Map;
import org.opentrade.gateway.domain.GatewayError;

/**
 * First line of defence, before any route: refuses over-long URIs, too many or too large headers,
 * path tricks (dot segments, encoded slashes or backslashes, NUL), and a repeated header that must
 * have one value ({@link #SINGLE_VALUED}: the credentials, the admin token, Idempotency-Key,
 * Content-Type) with the error model. The
 * HTTP server's own limits are set far above these so that oversize requests reach this guard and
 * get a JSON answer instead of a bare status line. Runs on every request, before routing.
 */
public final class RequestGuard implements GatewayFilter {
    public static final int MAX_URI_LENGTH = 8 * 1024;
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    public static final int MAX_HEADERS = 100;
    /**
     * Headers read as one value: sent twice, which one counts depends on who reads it (the gateway and
     * the service behind it, or a proxy in front, may each take another), so such a request is refused
     * with -1007 rather than answered by the first value. Case-insensitive, without allocating per header.
     */
    static final HeaderNames SINGLE_VALUED = HeaderNames.of("X-API-Key", "X-API-Secret", "X-Signature", "X-Timestamp",
            "Authorization", "X-Admin-Token", "Idempotency-Key", "Content-Type");

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
        int seen = 0;
        String repeated = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = HeaderNames.entries(req.headers()); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            count++;
            bytes += h.getKey().length() + h.getValue().length() + 4;
            int single = SINGLE_VALUED.indexOf(h.getKey());
            if (single >= 0) {
                int bit = 1 << single;
                if ((seen & bit) != 0 && repeated == null) {
                    repeated = SINGLE_VALUED.name(single);
                }
                seen |= bit;
            }
        }
        if (count > MAX_HEADERS || bytes > MAX_HEADER_BYTES) {
            Async.fail(ctx, new Rejection(GatewayError.BAD_HEADER, "too many or too large headers (at most " + MAX_HEADERS
                    + " headers, " + MAX_HEADER_BYTES + " bytes)"));
            return;
        }
        if (repeated != null) {
            Async.fail(ctx, new Rejection(GatewayError.BAD_HEADER, "header " + repeated + " is repeated; send it once"));
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
