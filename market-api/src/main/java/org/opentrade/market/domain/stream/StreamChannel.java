package org.opentrade.market.domain.stream;

import java.util.Optional;
import java.util.function.Predicate;
import org.opentrade.market.domain.Interval;

/**
 * A market stream channel name (docs/contracts.md, Streams): {@code trades:<symbol>}, {@code quotes:<symbol>},
 * {@code depth:<symbol>} or {@code klines:<interval>:<symbol>} with an interval wire code
 * ({@code 1m 5m 15m 30m 60m 1d 1w 1M}). Names are exact: no case folding, no spaces.
 *
 * @param interval only for {@link Kind#KLINES}, else null
 */
public record StreamChannel(Kind kind, Interval interval, String symbol) {
    /** Longer names are refused before any lookup; also bounds what an error message echoes. */
    public static final int MAX_NAME_LENGTH = 64;
    public static final String FORMAT = "trades:<symbol>, quotes:<symbol>, depth:<symbol> or "
            + "klines:<1m|5m|15m|30m|60m|1d|1w|1M>:<symbol>";

    public enum Kind {
        TRADES("trades"), QUOTES("quotes"), DEPTH("depth"), KLINES("klines");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** The wire name. */
    public String name() {
        return kind == Kind.KLINES ? kind.code + ":" + interval.code() + ":" + symbol : kind.code + ":" + symbol;
    }

    /** The channel this name denotes, or empty when it is not well formed (the symbol is not looked up). */
    public static Optional<StreamChannel> parse(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return Optional.empty();
        }
        String[] parts = name.split(":", -1);
        for (Kind kind : Kind.values()) {
            if (!kind.code.equals(parts[0])) {
                continue;
            }
            if (kind == Kind.KLINES) {
                if (parts.length != 3 || !symbolShaped(parts[2])) {
                    return Optional.empty();
                }
                return Interval.parse(parts[1]).map(i -> new StreamChannel(kind, i, parts[2]));
            }
            return parts.length == 2 && symbolShaped(parts[1])
                    ? Optional.of(new StreamChannel(kind, null, parts[1])) : Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * A ready {@link ChannelSource#check}: why {@code name} is not a streamable channel given the
     * symbols {@code knownSymbol} accepts, or empty.
     */
    public static Optional<String> check(String name, Predicate<String> knownSymbol) {
        Optional<StreamChannel> channel = parse(name);
        if (channel.isEmpty()) {
            return Optional.of("unknown channel '" + shorten(name) + "': expected " + FORMAT);
        }
        if (!knownSymbol.test(channel.get().symbol())) {
            return Optional.of("unknown symbol in channel '" + name + "'");
        }
        return Optional.empty();
    }

    /** {@code name} cut to {@link #MAX_NAME_LENGTH} characters, for messages. */
    public static String shorten(String name) {
        if (name == null) {
            return "null";
        }
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH) + "…";
    }

    private static boolean symbolShaped(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
