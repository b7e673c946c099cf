package org.opentrade.gateway.domain;

import java.util.Optional;

/**
 * An IPv4 or IPv6 address range such as {@code 203.0.113.0/24} or {@code 2001:db8::/32}; a bare
 * address is a range of one. Parsing never resolves names: only address literals are accepted.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** Parses a range; empty when it is not a valid address literal with an in-range prefix. */
    public static Optional<Cidr> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        Optional<byte[]> bytes = literal(addr);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        int max = bytes.get().length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                return Optional.empty();
            }
        }
        byte[] b = bytes.get();
        if (b.length == 16 && prefix >= 96 && isV4Mapped(b)) {
            // An IPv4-mapped range is the IPv4 range: clients are compared as IPv4 (see contains).
            return Optional.of(new Cidr(mask(new byte[] {b[12], b[13], b[14], b[15]}, prefix - 96), prefix - 96, text));
        }
        return Optional.of(new Cidr(mask(b, prefix), prefix, text));
    }

    /**
     * The bytes of an IP address literal: an IPv4 dotted quad (4 bytes; decimal, no leading zeros, which
     * some parsers read as octal) or an IPv6 address (16 bytes; {@code ::} and a trailing dotted quad
     * allowed, optionally in brackets). Empty for anything else: zone ids ({@code %eth0}), short or
     * hexadecimal IPv4 forms, host names. Pure text parsing: never consults a name resolver, so it is
     * safe on the event loop.
     */
    public static Optional<byte[]> literal(String addr) {
        if (addr == null || addr.isEmpty() || addr.length() > 47) {
            return Optional.empty();
        }
        if (addr.charAt(0) == '[') {
            return addr.charAt(addr.length() - 1) == ']' ? ipv6(addr, 1, addr.length() - 1) : Optional.empty();
        }
        return addr.indexOf(':') >= 0 ? ipv6(addr, 0, addr.length()) : ipv4(addr, 0, addr.length());
    }

    /** A dotted quad in {@code s[from, to)}. */
    private static Optional<byte[]> ipv4(String s, int from, int to) {
        byte[] out = new byte[4];
        int part = 0;
        int i = from;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 3 && isDigit(s.charAt(i))) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return Optional.empty();
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= to || s.charAt(i) != '.') {
                    return Optional.empty();
                }
                i++;
            }
        }
        return i == to ? Optional.of(out) : Optional.empty();
    }

    /** An IPv6 address in {@code s[from, to)}: up to 8 hex groups, one {@code ::}, a dotted quad last. */
    private static Optional<byte[]> ipv6(String s, int from, int to) {
        byte[] out = new byte[16];
        int n = 0; // bytes written
        int gap = -1; // where "::" stands, in bytes
        int i = from;
        if (i + 1 < to && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
            gap = 0;
            i += 2;
        } else if (i < to && s.charAt(i) == ':') {
            return Optional.empty();
        }
        while (i < to) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 5 && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
                value = value * 16 + Character.digit(s.charAt(i), 16);
                i++;
            }
            if (i < to && s.charAt(i) == '.') { // a dotted quad: the last 32 bits
                if (n > 12) {
                    return Optional.empty();
                }
                Optional<byte[]> v4 = ipv4(s, start, to);
                if (v4.isEmpty()) {
                    return Optional.empty();
                }
                System.arraycopy(v4.get(), 0, out, n, 4);
                n += 4;
                i = to;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4 || n > 14) {
                return Optional.empty();
            }
            out[n++] = (byte) (value >>> 8);
            out[n++] = (byte) value;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return Optional.empty();
            }
            i++;
            if (i < to && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return Optional.empty();
                }
                gap = n;
                i++;
            } else if (i == to) {
                return Optional.empty(); // a single trailing colon
            }
        }
        if (gap < 0) {
            return n == 16 ? Optional.of(out) : Optional.empty();
        }
        if (n == 16) {
            return Optional.empty(); // "::" must stand for at least one group
        }
        int tail = n - gap;
        System.arraycopy(out, gap, out, 16 - tail, tail);
        java.util.Arrays.fill(out, gap, 16 - tail, (byte) 0);
        return Optional.of(out);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Whether {@code address} is in any of {@code ranges}; an unknown (null) address is in none. */
    public static boolean anyContains(java.util.List<Cidr> ranges, byte[] address) {
        if (address == null) {
            return false;
        }
        for (Cidr c : ranges) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the address (as bytes; IPv4-mapped IPv6 counts as IPv4) is in this range. */
    public boolean contains(byte[] address) {
        byte[] a = address;
        if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
            a = new byte[] {a[12], a[13], a[14], a[15]};
        }
        if (a.length != network.length) {
            return false;
        }
        byte[] masked = mask(a, prefix);
        return java.util.Arrays.equals(masked, network);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] addr, int prefix) {
        byte[] out = addr.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - bits));
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}
