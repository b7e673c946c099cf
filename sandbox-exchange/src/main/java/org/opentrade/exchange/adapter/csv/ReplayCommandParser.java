package org.opentrade.exchange.adapter.csv;

import java.util.HashMap;
import java.util.Map;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * Reads rows of the replay contract ({@code op,order_id,account,symbol,side,type,tif,price,qty},
 * docs/contracts.md) into engine commands. A row that cannot become a command yields a {@link Row} with
 * {@code command == null}: the tool reports it REJECTED and goes on.
 *
 * <p>Order ids are text in the file and {@code long} in the engine: a canonical non-negative decimal
 * is used as is; any other id is given a negative number of its own, so ids of both kinds never
 * collide and the output repeats the id exactly as the input wrote it.
 */
public final class ReplayCommandParser {
    public static final String HEADER = "op,order_id,account,symbol,side,type,tif,price,qty";
    private static final int FIELDS = 9;
    private static final int MAX_FIELD = 64;

    private final Map<String, Long> textIds = new HashMap<>();
    private final Map<Long, String> textNames = new HashMap<>();

    /** One parsed row: the command, or null with the raw fields to echo in the rejection. */
    public record Row(Command command, String rawOrderId, String rawSymbol) {
    }

    /** True for the contract's header line (compared without case and spaces). */
    public static boolean isHeader(String line) {
        return line.replace(" ", "").equalsIgnoreCase(HEADER);
    }

    /** Parses one non-blank line. Never throws. */
    public Row parse(String line) {
        String[] f = line.split(",", -1);
        String rawId = f.length > 1 ? clean(f[1]) : "";
        String rawSymbol = f.length > 3 ? clean(f[3]) : "";
        if (f.length > FIELDS) {
            return new Row(null, rawId, rawSymbol);
        }
        String[] v = new String[FIELDS];
        for (int i = 0; i < FIELDS; i++) {
            v[i] = i < f.length ? f[i].strip() : "";
        }
        CommandType op = switch (v[0].toUpperCase()) {
            case "NEW" -> CommandType.NEW_ORDER;
            case "CANCEL" -> CommandType.CANCEL;
            case "REPLACE" -> CommandType.REPLACE;
            default -> null;
        };
        long id = orderId(v[1]);
        if (op == null || id == Long.MIN_VALUE) {
            return new Row(null, rawId, rawSymbol);
        }
        String account = v[2].isEmpty() || v[2].length() > MAX_FIELD ? null : v[2];
        String symbol = v[3].isEmpty() || v[3].length() > MAX_FIELD ? null : v[3];
        Command c = switch (op) {
            case CANCEL -> new Command(CommandType.CANCEL, id, account, symbol, null, null, null, Price.NONE,
                    Price.NONE, 0, 0, null);
            case REPLACE -> new Command(CommandType.REPLACE, id, account, symbol, null, null, null, price(v[7]),
                    Price.NONE, qty(v[8]), 0, null);
            default -> newOrder(id, account, symbol, v);
        };
        return new Row(c, rawId, rawSymbol);
    }

    private static Command newOrder(long id, String account, String symbol, String[] v) {
        Side side = switch (v[4].toUpperCase()) {
            case "BUY" -> Side.BUY;
            case "SELL" -> Side.SELL;
            default -> null;
        };
        OrderType type = switch (v[5].toUpperCase()) {
            case "LIMIT" -> OrderType.LIMIT;
            case "MARKET" -> OrderType.MARKET;
            default -> null;
        };
        TimeInForce tif = switch (v[6].toUpperCase()) {
            case "GTC" -> TimeInForce.GTC;
            case "IOC" -> TimeInForce.IOC;
            case "FOK" -> TimeInForce.FOK;
            default -> null;
        };
        if (symbol == null || side == null || type == null || tif == null) {
            return null;
        }
        long price = type == OrderType.LIMIT ? price(v[7]) : Price.NONE;
        return Command.newOrder(id, account == null ? "" : account, symbol, side, type, tif, price, Price.NONE,
                qty(v[8]), 0);
    }

    /** Price in hundredths; 0 (rejected by the engine as invalid) when empty or unreadable. */
    private static long price(String s) {
        long p = Price.parse(s);
        return p == Price.INVALID ? 0 : p;
    }

    /** Quantity; -1 (rejected by the engine) when not a plain positive integer. */
    private static long qty(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long q = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            q = q * 10 + (c - '0');
        }
        return q;
    }

    private long orderId(String s) {
        if (s.isEmpty() || s.length() > MAX_FIELD) {
            return Long.MIN_VALUE;
        }
        if (isCanonicalNumber(s)) {
            return Long.parseLong(s);
        }
        Long id = textIds.get(s);
        if (id == null) {
            id = -1L - textIds.size();
            textIds.put(s, id);
            textNames.put(id, s);
        }
        return id;
    }

    private static boolean isCanonicalNumber(String s) {
        if (s.length() > 18 || (s.length() > 1 && s.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The id as the input wrote it. */
    public String idText(long id) {
        return id >= 0 ? Long.toString(id) : textNames.get(id);
    }

    /** Keeps a raw field printable in one CSV cell: no separators, no control characters, bounded. */
    static String clean(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_FIELD));
        for (int i = 0; i < s.length() && sb.length() < MAX_FIELD; i++) {
            char c = s.charAt(i);
            if (c > ' ' && c != ',' && c != '"' && c < 0x7f) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
