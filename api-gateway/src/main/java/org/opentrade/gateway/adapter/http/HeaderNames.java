package org.opentrade.gateway.adapter.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A fixed set of header names matched in any case (RFC 9110 §5.1), for the checks every request
 * makes: which of its headers the request guard counts as single-valued, which the proxy drops.
 * Names are bucketed by length, so a lookup compares a header only with the set's names of its length,
 * and takes the name as the decoder left it ({@link CharSequence}): no lower-cased or {@link String}
 * copy per header (with a {@code TreeSet} of {@code CASE_INSENSITIVE_ORDER} and the headers' String
 * view, the checks were 6 % of the gateway's CPU per proxied call).
 */
public final class HeaderNames {
    private final String[] names;
    /** Per length, the indexes in {@link #names} of the names that long. */
    private final int[][] byLength;

    private HeaderNames(String... names) {
        this.names = names.clone();
        int longest = 0;
        for (String n : names) {
            longest = Math.max(longest, n.length());
        }
        List<List<Integer>> buckets = new ArrayList<>();
        for (int i = 0; i <= longest; i++) {
            buckets.add(new ArrayList<>());
        }
        for (int i = 0; i < names.length; i++) {
            buckets.get(names[i].length()).add(i);
        }
        byLength = new int[longest + 1][];
        for (int i = 0; i <= longest; i++) {
            byLength[i] = buckets.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** The set of {@code names}, each matched in any case. */
    public static HeaderNames of(String... names) {
        return new HeaderNames(names);
    }

    /** Whether {@code name} is in the set, in any case. */
    public boolean contains(CharSequence name) {
        return indexOf(name) >= 0;
    }

    /** The position of {@code name} among the names the set was made of, or -1 when it is not in the set. */
    public int indexOf(CharSequence name) {
        int length = name.length();
        if (length >= byLength.length) {
            return -1;
        }
        for (int i : byLength[length]) {
            if (AsciiString.contentEqualsIgnoreCase(name, names[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The set's spelling of its {@code index}th name. */
    public String name(int index) {
        return names[index];
    }

    /** Whether {@code name} starts with {@code prefix} (lower-case), in any case. */
    public static boolean startsWith(CharSequence name, String prefix) {
        int n = prefix.length();
        if (name.length() < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The headers as the decoder holds them: Vert.x's header map is a Netty {@link HttpHeaders}, whose
     * {@code iteratorCharSequence} hands out its entries as they are, where {@link MultiMap}'s iterator
     * wraps each and copies its name and value to Strings.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Iterator<Map.Entry<CharSequence, CharSequence>> entries(MultiMap headers) {
        if (headers instanceof HttpHeaders netty) {
            return netty.iteratorCharSequence();
        }
        return (Iterator) headers.iterator();
    }
}
