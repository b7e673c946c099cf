package org.opentrade.common.web;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;

/**
 * The query parameters an endpoint takes, checked before it reads them: a parameter it does not take is
 * refused, not ignored, and so is one given twice. {@code DELETE /v1/orders?symbl=600000.SH} (a typo of
 * {@code symbol}) used to cancel every open order of the account, and {@code ?symbol=A&symbol=B} only
 * those of A; a request that means something else than it says is answered with what is wrong. Binance
 * refuses both too (-1104, -1101). Stateless.
 */
public final class QueryParams {
    private static final int MAX_NAME_CHARS = 40;

    private QueryParams() {
    }

    /**
     * As {@link #refusal(MultiMap, List)} for the request's query as Vert.x Web decodes it; a query that does not
     * decode (a {@code %} not followed by two hex digits) is refused too, instead of failing the handler that
     * would read it.
     */
    public static String refusal(RoutingContext ctx, List<String> allowed) {
        MultiMap params;
        try {
            params = ctx.queryParams();
        } catch (RuntimeException e) {
            return "the query is not valid percent-encoded text";
        }
        return refusal(params, allowed);
    }

    /**
     * Null when every parameter of {@code params} is one of {@code allowed} and given once; else the
     * message for the caller, naming the first parameter at fault (clipped, control characters replaced)
     * and the allowed ones.
     */
    public static String refusal(MultiMap params, List<String> allowed) {
        Objects.requireNonNull(allowed, "allowed");
        if (params == null || params.isEmpty()) {
            return null;
        }
        for (String name : params.names()) {
            if (!allowed.contains(name)) {
                return allowed.isEmpty()
                        ? "this endpoint takes no query parameters; got '" + clip(name) + "'"
                        : "unknown query parameter '" + clip(name) + "'; allowed: " + String.join(", ", allowed);
            }
            if (params.getAll(name).size() > 1) {
                return "query parameter '" + name + "' is given more than once; give it once";
            }
        }
        return null;
    }

    private static String clip(String name) {
        StringBuilder sb = new StringBuilder(Math.min(name.length(), MAX_NAME_CHARS) + 1);
        for (int i = 0; i < name.length() && i < MAX_NAME_CHARS; i++) {
            char c = name.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (name.length() > MAX_NAME_CHARS) {
            sb.append('…');
        }
        return sb.toString();
    }
}
