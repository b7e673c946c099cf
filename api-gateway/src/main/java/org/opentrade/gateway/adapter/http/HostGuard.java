package org.opentrade.gateway.adapter.http;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.opentrade.gateway.domain.GatewayError;

/**
 * Against DNS rebinding: a page on {@code evil.example} that re-binds its name to 127.0.0.1 makes its
 * visitor's browser send same-origin requests, {@code Host: evil.example:8080}, to a server listening on
 * this machine's loopback, and read every answer served without credentials ({@code /metrics},
 * {@code /health}, {@code /ready}, the portal, the contract). Such a request names a host the server was
 * never meant to answer for, so it is refused with 421 -1013 before routing (the browser cannot choose
 * the {@code Host} it sends: it is the page's own).
 *
 * <p>Bound to a loopback address (the default: the all-in-one, a gateway on one developer's machine) the
 * server answers a {@code Host} naming loopback ({@code localhost}, {@code *.localhost}, {@code 127.0.0.1},
 * {@code [::1]}, any loopback address; any port, any case) or one of {@code gateway.allowed_hosts}
 * (a local reverse proxy that passes its own public name on). Bound to another address (a deliberate
 * public deployment, behind its load balancer) it answers any {@code Host} unless
 * {@code gateway.allowed_hosts} is set, and then only loopback names and those. A request without
 * {@code Host} (HTTP/1.0) passes: no browser sends one. Every {@code Host} line of a request is checked.
 * WebSocket upgrades are requests like any other here.
 *
 * <p>Runs on every request before routing ({@link #ORDER_HOST_GUARD}), after tracing, so the refusal
 * carries {@code X-Trace-Id}. Called on the event loop; never blocks (no name is resolved).
 */
public final class HostGuard implements GatewayFilter {
    private final boolean enabled;
    /** {@code gateway.allowed_hosts}, lower case, without a trailing dot. */
    private final Set<String> allowed;
    /**
     * The last {@code Host} value allowed, exactly as sent: a client sends the same one on every request, so
     * the check is then one comparison. One value, whatever callers send; racy by design (any loop may
     * replace it, and a String read half-published cannot be torn).
     */
    private String lastAllowed = "";

    /**
     * @param bindHost     the address the HTTP server listens on ({@code gateway.host}; the all-in-one's
     *                     {@code http.host})
     * @param allowedHosts host names (or addresses) answered besides loopback; empty: loopback only, and
     *                     no check at all when {@code bindHost} is not loopback
     */
    public HostGuard(String bindHost, List<String> allowedHosts) {
        this.allowed = allowedHosts.stream().map(HostGuard::normalized).collect(Collectors.toUnmodifiableSet());
        this.enabled = isLoopback(bindHost) || !allowed.isEmpty();
    }

    @Override
    public int order() {
        return ORDER_HOST_GUARD;
    }

    /** Whether requests are checked at all (a loopback bind, or {@code allowed_hosts} set). */
    public boolean enabled() {
        return enabled;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (enabled) {
            for (String host : ctx.request().headers().getAll(HttpHeaders.HOST)) {
                if (host.equals(lastAllowed)) {
                    continue;
                }
                if (allows(host)) {
                    lastAllowed = host;
                } else {
                    Async.fail(ctx, new Rejection(GatewayError.MISDIRECTED_REQUEST, "this server does not answer for host '"
                            + printable(host) + "': use http://localhost:<port>, or list the name in gateway.allowed_hosts "
                            + "(OPENTRADE_GATEWAY_ALLOWED_HOSTS)"));
                    return;
                }
            }
        }
        ctx.next();
    }

    /** Whether a {@code Host} header value ({@code name[:port]}, {@code [v6][:port]}) is one this server answers. */
    public boolean allows(String hostHeader) {
        String name = hostName(hostHeader);
        return name != null && (isLoopback(name) || allowed.contains(name));
    }

    /**
     * The name of a {@code Host} value: the port and an IPv6 literal's brackets taken off, lower case, without
     * a trailing dot; null when the value is not {@code host[:port]}.
     */
    static String hostName(String hostHeader) {
        String h = hostHeader.strip();
        String name;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0 || !portOrNothing(h, close + 1)) {
                return null;
            }
            name = h.substring(1, close);
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0 && !portOrNothing(h, colon)) {
                return null;
            }
            name = colon < 0 ? h : h.substring(0, colon);
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_'))) {
                    return null; // no name a browser puts in Host (userinfo, a fragment, spaces): never compared by its suffix
                }
            }
        }
        return name.isEmpty() ? null : normalized(name);
    }

    /** Whether {@code h} from {@code at} is empty or {@code :digits}. */
    private static boolean portOrNothing(String h, int at) {
        if (at == h.length()) {
            return true;
        }
        if (h.charAt(at) != ':' || at + 1 == h.length()) {
            return false;
        }
        for (int i = at + 1; i < h.length(); i++) {
            if (h.charAt(i) < '0' || h.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String normalized(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.startsWith("[") && n.endsWith("]")) {
            n = n.substring(1, n.length() - 1);
        }
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /**
     * Whether {@code host} (a name or an address literal, without port or brackets) names this machine's loopback:
     * {@code localhost}, a name under {@code .localhost} (RFC 6761: always loopback, never sent to DNS by
     * browsers), or a loopback address. Never resolves a name.
     */
    public static boolean isLoopback(String host) {
        String n = normalized(host);
        if (n.equals("localhost") || n.endsWith(".localhost")) {
            return true;
        }
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(n);
        return literal != null && literal.isLoopbackAddress();
    }

    /** A caller's Host as it may appear in a message: bounded, control characters replaced. */
    private static String printable(String host) {
        String h = host.length() > 100 ? host.substring(0, 100) + "…" : host;
        return h.replaceAll("\\p{Cntrl}", "?");
    }
}
