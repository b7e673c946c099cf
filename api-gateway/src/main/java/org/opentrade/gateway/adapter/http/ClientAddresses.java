package org.opentrade.gateway.adapter.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Optional;
import org.opentrade.gateway.domain.Cidr;

/**
 * The caller's address for allow-lists and per-address limits: the TCP peer, or, when the peer is
 * one of the configured trusted proxies (a load balancer), the right-most address of
 * {@code X-Forwarded-For} that is not itself a trusted proxy. All header lines count, in order, as
 * one list (RFC 9110 §5.3): a client may send its own lines and entries, but they only ever stand to
 * the left of what the proxies append, so they are never reached. Untrusted peers cannot spoof their
 * address with that header.
 *
 * <p>Called on the event loop; never blocks. Reads at most {@value #MAX_HOPS} entries, from the right.
 */
public final class ClientAddresses {
    /** Entries read from the right before giving up: more trusted hops than any real chain has. */
    static final int MAX_HOPS = 16;
    private static final String HEADER = "X-Forwarded-For";
    /** Longer than any address literal (with brackets); such an entry is not read at all. */
    private static final int MAX_ENTRY = 64;

    private final List<Cidr> trustedProxies;

    public ClientAddresses(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * The address bytes, or null when unknown: no peer address, an entry that is not an address
     * literal before an untrusted one is found, or more than {@value #MAX_HOPS} trusted hops. Unknown
     * fails an allow-list.
     */
    public byte[] of(HttpServerRequest request) {
        SocketAddress peer = request.remoteAddress();
        if (peer == null || peer.hostAddress() == null) {
            return null;
        }
        Optional<byte[]> addr = Cidr.literal(peer.hostAddress());
        if (addr.isEmpty()) {
            return null;
        }
        if (trustedProxies.isEmpty() || !trusted(addr.get())) {
            return addr.get();
        }
        List<String> lines = request.headers().getAll(HEADER);
        byte[] nearest = addr.get();
        int hops = 0;
        for (int l = lines.size() - 1; l >= 0; l--) {
            String line = lines.get(l);
            int end = line.length();
            while (true) {
                int comma = line.lastIndexOf(',', end - 1);
                if (++hops > MAX_HOPS || end - comma - 1 > MAX_ENTRY) {
                    return null;
                }
                Optional<byte[]> hop = Cidr.literal(line.substring(comma + 1, end).strip());
                if (hop.isEmpty()) {
                    return null;
                }
                if (!trusted(hop.get())) {
                    return hop.get();
                }
                nearest = hop.get(); // a proxy in front of the last one: look further left
                if (comma < 0) {
                    break;
                }
                end = comma;
            }
        }
        return nearest; // every hop is a trusted address: the client is one of ours
    }

    /**
     * The caller as a per-address limit bucket: an IPv4 address (also when written as IPv4-mapped
     * IPv6), or an IPv6 /64, since one subscriber usually holds a whole /64 and could otherwise take a
     * fresh budget for each of its 2^64 addresses; "unknown" when the address is.
     */
    public String limitKey(HttpServerRequest request) {
        byte[] a = of(request);
        return a == null ? "unknown" : bucket(a);
    }

    /**
     * The bucket ({@link #limitKey}'s) of a connection's TCP peer, for per-address connection caps; null
     * when the peer is a trusted proxy (a load balancer brings many clients over its connections, and
     * limits its own) or not an address literal.
     */
    public String connectionKey(SocketAddress peer) {
        if (peer == null || peer.hostAddress() == null) {
            return null;
        }
        Optional<byte[]> addr = Cidr.literal(peer.hostAddress());
        return addr.isEmpty() || trusted(addr.get()) ? null : bucket(addr.get());
    }

    private static String bucket(byte[] a) {
        if (a.length == 16 && isV4Mapped(a)) {
            a = new byte[] {a[12], a[13], a[14], a[15]};
        }
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        StringBuilder out = new StringBuilder(24);
        for (int i = 0; i < 8; i += 2) {
            out.append(Integer.toHexString((a[i] & 0xff) << 8 | (a[i + 1] & 0xff))).append(':');
        }
        return out.append(":/64").toString();
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private boolean trusted(byte[] addr) {
        return Cidr.anyContains(trustedProxies, addr);
    }
}
