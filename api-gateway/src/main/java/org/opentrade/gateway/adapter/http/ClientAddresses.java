package org.opentrade.gateway.adapter.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Optional;
import org.opentrade.gateway.domain.Cidr;

/**
 * The caller's address for allow-lists and per-address limits: the TCP peer, or, when the peer is
 * one of the configured trusted proxies (a load balancer), the last address it appended to
 * {@code X-Forwarded-For}. Untrusted peers cannot spoof their address with that header.
 */
public final class ClientAddresses {
    private final List<Cidr> trustedProxies;

    public ClientAddresses(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** The address bytes, or null when unknown. */
    public byte[] of(HttpServerRequest request) {
        SocketAddress peer = request.remoteAddress();
        if (peer == null || peer.hostAddress() == null) {
            return null;
        }
        Optional<byte[]> addr = Cidr.literal(peer.hostAddress());
        if (addr.isEmpty()) {
            return null;
        }
        if (!trustedProxies.isEmpty() && trusted(addr.get())) {
            String xff = request.getHeader("X-Forwarded-For");
            if (xff != null && xff.length() <= 1024) {
                String last = xff.substring(xff.lastIndexOf(',') + 1).strip();
                Optional<byte[]> forwarded = Cidr.literal(last);
                if (forwarded.isPresent()) {
                    return forwarded.get();
                }
            }
        }
        return addr.get();
    }

    /** The address as text, for per-address buckets. */
    public String text(HttpServerRequest request) {
        byte[] a = of(request);
        if (a == null) {
            return "unknown";
        }
        try {
            return java.net.InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }

    private boolean trusted(byte[] addr) {
        for (Cidr c : trustedProxies) {
            if (c.contains(addr)) {
                return true;
            }
        }
        return false;
    }
}
