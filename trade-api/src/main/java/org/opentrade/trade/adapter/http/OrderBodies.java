package org.opentrade.trade.adapter.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.opentrade.common.json.StrictJson;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.OrderRequest;
import org.opentrade.trade.domain.TradeError;
import org.opentrade.trade.domain.desk.TradeDesk;

/**
 * Reads order bodies strictly (docs/contracts.md Order names): a body that is not a JSON object is -1001;
 * a field of the wrong type, an unknown enum value, a negative, fractional or huge quantity, a price
 * with more than 2 decimals, an unknown field: -1002 naming the field. Stateless.
 */
public final class OrderBodies {
    /** docs/contracts.md: at most 48 characters of [A-Za-z0-9._:-]. */
    public static final Pattern CLIENT_ORDER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,48}");
    static final Pattern SYMBOL = Pattern.compile("[0-9A-Za-z]{1,12}\\.[A-Za-z]{1,4}");
    /** A price string: digits with an optional fraction; no sign, exponent or spaces ("1e3" is not "1000.00"). */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final long MAX_QTY = 1_000_000_000L;
    private static final BigDecimal MAX_PRICE = new BigDecimal("10000000.00");
    private static final Set<String> NEW_FIELDS = Set.of("client_order_id", "symbol", "side", "type", "time_in_force",
            "qty", "price", "stop_price");
    private static final Set<String> REPLACE_FIELDS = Set.of("qty", "price");

    /** A refused body: the error and a message naming the field. */
    public static final class BadBody extends RuntimeException {
        public final TradeError error;

        BadBody(TradeError error, String message) {
            super(message, null, false, false);
            this.error = error;
        }
    }

    /** A replace: new total quantity and/or new limit price (0 = unchanged). */
    public record Replace(long qty, long price) {
    }

    private OrderBodies() {
    }

    static JsonObject object(Buffer body) {
        if (body == null || body.length() == 0) {
            throw new BadBody(TradeError.MALFORMED, "the body must be a JSON object");
        }
        try {
            Object v = StrictJson.decode(body);
            if (v instanceof JsonObject o) {
                return exactNumbers(body, o);
            }
        } catch (StrictJson.Duplicate e) {
            throw new BadBody(TradeError.MALFORMED, "the body is ambiguous: " + e.getMessage());
        } catch (DecodeException e) {
            throw new BadBody(TradeError.MALFORMED, "the body is not valid JSON");
        }
        throw new BadBody(TradeError.MALFORMED, "the body must be a JSON object");
    }

    /**
     * {@code o} (decoded from {@code body}) with each of its own members that is a JSON number with a fraction or an
     * exponent as written, a BigDecimal: the codec reads those as doubles, so {@code "price": 6.99999999999999999999}
     * was a price of 7.00 and {@code "qty": 99.99999999999999999} 100 shares, accepted as if sent so, where the
     * contract refuses a price of more than 2 decimals and a fractional quantity. One more pass over a body of at
     * most {@code max_body_bytes}; members of nested values are left as decoded (no order body has any).
     */
    private static JsonObject exactNumbers(Buffer body, JsonObject o) {
        try (JsonParser p = JacksonCodec.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return o;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_NUMBER_FLOAT) {
                    o.put(name, exact(p.getText()));
                } else if (value != null && value.isStructStart()) {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new BadBody(TradeError.MALFORMED, "the body is not valid JSON");
        }
        return o;
    }

    /** A JSON number's text as a BigDecimal; NaN (refused as every bad number) when its exponent is beyond an int. */
    private static Number exact(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** A new order; {@code generatedId} is used when the caller gave no client_order_id. */
    public static OrderRequest newOrder(Buffer body, String generatedId) {
        JsonObject j = object(body);
        unknownFields(j, NEW_FIELDS);
        String clientId = optionalString(j, "client_order_id");
        if (clientId == null) {
            clientId = generatedId;
        } else if (!CLIENT_ORDER_ID.matcher(clientId).matches()) {
            throw invalid("client_order_id must be 1 to 48 characters of A-Z a-z 0-9 . _ : -");
        } else if (clientId.startsWith(TradeDesk.GENERATED_CLIENT_ORDER_ID_PREFIX)) {
            throw invalid("client_order_id must not start with '" + TradeDesk.GENERATED_CLIENT_ORDER_ID_PREFIX
                    + "': that prefix is reserved for the ids trade-api generates for orders sent without one");
        }
        String symbol = requiredString(j, "symbol");
        if (!SYMBOL.matcher(symbol).matches()) {
            throw invalid("symbol must be an instrument code such as 600000.SH");
        }
        Side side = enumValue(j, "side", Side.class, null);
        OrderType type = enumValue(j, "type", OrderType.class, OrderType.LIMIT);
        TimeInForce tif = enumValue(j, "time_in_force", TimeInForce.class, type == OrderType.MARKET ? TimeInForce.IOC
                : TimeInForce.DAY);
        long qty = quantity(j, "qty");
        long price = price(j, "price");
        long stop = price(j, "stop_price");
        return new OrderRequest(clientId, symbol, side, type, tif, qty, price, stop);
    }

    public static Replace replace(Buffer body) {
        JsonObject j = object(body);
        unknownFields(j, REPLACE_FIELDS);
        long qty = j.containsKey("qty") ? quantity(j, "qty") : 0;
        long price = price(j, "price");
        if (qty == 0 && price == 0) {
            throw invalid("give qty (the new total quantity) and/or price");
        }
        return new Replace(qty, price);
    }

    private static void unknownFields(JsonObject j, Set<String> allowed) {
        for (String k : j.fieldNames()) {
            if (!allowed.contains(k)) {
                throw invalid("unknown field '" + clip(k) + "'; allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    private static String optionalString(JsonObject j, String field) {
        Object v = j.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw invalid(field + " must be a string");
        }
        return s;
    }

    private static String requiredString(JsonObject j, String field) {
        String s = optionalString(j, field);
        if (s == null) {
            throw invalid(field + " is required");
        }
        return s;
    }

    private static <E extends Enum<E>> E enumValue(JsonObject j, String field, Class<E> type, E dflt) {
        String s = optionalString(j, field);
        if (s == null) {
            if (dflt == null) {
                throw invalid(field + " is required");
            }
            return dflt;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(s)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw invalid(field + " must be one of " + allowed + ", got '" + clip(s) + "'");
    }

    private static long quantity(JsonObject j, String field) {
        Object v = j.getValue(field);
        if (v == null) {
            throw invalid(field + " is required");
        }
        BigDecimal d = v instanceof Number n ? decimal(n) : null;
        if (d == null || d.stripTrailingZeros().scale() > 0) {
            throw invalid(field + " must be a whole number of shares");
        }
        return checkQty(field, d);
    }

    /** A JSON number as written ({@link #exactNumbers}), or null for one that is not a finite number. */
    private static BigDecimal decimal(Number n) {
        if (n instanceof Double x && !Double.isFinite(x) || n instanceof Float f && !Float.isFinite(f)) {
            return null;
        }
        return n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
    }

    private static long checkQty(String field, BigDecimal v) {
        if (v.signum() <= 0 || v.compareTo(BigDecimal.valueOf(MAX_QTY)) > 0) {
            throw invalid(field + " must be a whole number from 1 to " + MAX_QTY);
        }
        return v.longValueExact();
    }

    /** A price: {@link #hundredths} up to 10 000 000.00; 0 when absent. */
    private static long price(JsonObject j, String field) {
        Object v = j.getValue(field);
        if (v == null) {
            return 0;
        }
        long h = hundredths(v, MAX_PRICE);
        if (h < 0) {
            throw invalid(field + " must be a positive decimal with at most 2 places, at most 10000000.00, such as \"10.01\"");
        }
        return h;
    }

    /**
     * A positive amount with at most 2 decimals and at most {@code max}, in hundredths: a decimal string of digits
     * with an optional fraction ("10.01"; no sign, exponent or spaces, at most 20 characters) or a JSON number.
     * -1 when {@code v} is not one.
     */
    static long hundredths(Object v, BigDecimal max) {
        BigDecimal d;
        try {
            d = v instanceof String s && s.length() <= 20 && DECIMAL.matcher(s).matches() ? new BigDecimal(s)
                    : v instanceof Number n ? decimal(n) : null;
        } catch (NumberFormatException e) {
            d = null;
        }
        if (d == null || d.signum() <= 0 || d.stripTrailingZeros().scale() > 2 || d.compareTo(max) > 0) {
            return -1;
        }
        return d.movePointRight(2).longValueExact();
    }

    private static BadBody invalid(String message) {
        return new BadBody(TradeError.INVALID_PARAMETER, message);
    }

    static String clip(String raw) {
        String s = raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
        return s.replaceAll("[\\p{Cntrl}'\"\\\\]", "?");
    }
}
