package org.opentrade.gateway.adapter.http;

import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import org.opentrade.gateway.domain.Cidr;

/**
 * Who may read the gateway's {@code /metrics} on its public port: a client address (as {@link ClientAddresses}
 * sees it, behind trusted proxies the forwarded one) in {@code allowed} (loopback by default), or a caller with
 * the administrators' {@code X-Admin-Token} (compared in constant time). Everyone could before: the text names
 * every upstream instance's internal address and port, breaker states and request counts by route, which is
 * the map of the deployment an attacker wants. {@code /health} and {@code /ready} stay public (load balancers
 * probe them). Immutable.
 */
public final class MetricsAccess {
    private final ClientAddresses addresses;
    private final List<Cidr> allowed;
    private final byte[] adminToken;

    /**
     * @param adminToken the administrators' token; empty: no token opens it
     */
    public MetricsAccess(ClientAddresses addresses, List<Cidr> allowed, String adminToken) {
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.allowed = List.copyOf(allowed);
        this.adminToken = adminToken == null ? new byte[0] : adminToken.getBytes(StandardCharsets.UTF_8);
    }

    /** Everyone (a server of its own that only operators reach, and tests). */
    public static MetricsAccess everyone() {
        return new MetricsAccess(new ClientAddresses(List.of()), List.of(Cidr.parse("0.0.0.0/0").orElseThrow(),
                Cidr.parse("::/0").orElseThrow()), "");
    }

    public boolean allows(HttpServerRequest request) {
        String given = request.getHeader("X-Admin-Token");
        if (given != null && adminToken.length > 0
                && MessageDigest.isEqual(adminToken, given.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        return Cidr.anyContains(allowed, addresses.of(request));
    }
}
