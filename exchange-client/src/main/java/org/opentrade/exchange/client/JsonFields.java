package org.opentrade.exchange.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opentrade.exchange.model.Price;

/**
 * Strict reading of one JSON object of the wire format: every problem becomes an
 * {@link IllegalArgumentException} whose message names the shape, the field and what was expected
 * ("feed batch: head_seq must be an integer, got \"x\""), never a NullPointerException or a
 * ClassCastException from deep inside the JSON library. Not thread-safe; one per object read.
 */
final class JsonFields {
    private static final int MAX_SHOWN = 40;
    /** Money (turnover) may exceed {@link Price#MAX}: up to 16 integer digits (fits a long in hundredths). */
    private static final int MAX_MONEY_DIGITS = 16;

    private final JsonObject json;
    private final String what;

    private JsonFields(JsonObject json, String what) {
        this.json = json;
        this.what = what;
    }

    /** Reads {@code value} as the object {@code what}; throws when it is not a JSON object. */
    static JsonFields of(Object value, String what) {
        if (value instanceof JsonObject j) {
            return new JsonFields(j, what);
        }
        throw new IllegalArgumentException(what + " must be a JSON object, got " + shown(value));
    }

    long requiredLong(String key) {
        return integer(key, required(key));
    }

    long optionalLong(String key, long absent) {
        Object v = json.getValue(key);
        return v == null ? absent : integer(key, v);
    }

    int requiredInt(String key) {
        return intValue(key, required(key));
    }

    int optionalInt(String key, int absent) {
        Object v = json.getValue(key);
        return v == null ? absent : intValue(key, v);
    }

    String requiredText(String key) {
        String s = optionalText(key);
        if (s == null) {
            throw new IllegalArgumentException(what + ": " + key + " is required");
        }
        return s;
    }

    String optionalText(String key) {
        Object v = json.getValue(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw bad(key, "a string", v);
        }
        return s.isEmpty() ? null : s;
    }

    <E extends Enum<E>> E requiredEnum(String key, Class<E> type) {
        E e = optionalEnum(key, type);
        if (e == null) {
            throw new IllegalArgumentException(what + ": " + key + " is required: one of " + names(type));
        }
        return e;
    }

    <E extends Enum<E>> E optionalEnum(String key, Class<E> type) {
        String s = optionalText(key);
        if (s == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(key, "one of " + names(type), s);
        }
    }

    /** A price (decimal string, two places at most); {@link Price#NONE} when absent. */
    long optionalPrice(String key) {
        Object v = json.getValue(key);
        if (v == null) {
            return Price.NONE;
        }
        try {
            return price(key, v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /** An amount of money (decimal string, two places at most, no upper bound but a long); 0 when absent. */
    long optionalMoney(String key) {
        Object v = json.getValue(key);
        if (v == null) {
            return 0;
        }
        if (v instanceof String s && s.matches("\\d{1," + MAX_MONEY_DIGITS + "}(\\.\\d{1,2})?")) {
            int dot = s.indexOf('.');
            long units = Long.parseLong(dot < 0 ? s : s.substring(0, dot));
            String frac = dot < 0 ? "00" : (s.substring(dot + 1) + "0").substring(0, 2);
            return units * 100 + Long.parseLong(frac);
        }
        throw bad(key, "a decimal string with at most 2 places", v);
    }

    JsonArray requiredArray(String key) {
        JsonArray a = optionalArray(key);
        if (a == null) {
            throw new IllegalArgumentException(what + ": " + key + " is required");
        }
        return a;
    }

    /** The array under {@code key}, or null when absent. */
    JsonArray optionalArray(String key) {
        Object v = json.getValue(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonArray a)) {
            throw bad(key, "an array", v);
        }
        return a;
    }

    /** Reads every element of {@code array} with {@code reader}, naming the element in errors. */
    <T> List<T> list(String key, JsonArray array, ElementReader<T> reader) {
        List<T> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            try {
                out.add(reader.read(array.getValue(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": " + key + "[" + i + "]: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Reads one array element; throws IllegalArgumentException with a clear message. */
    @FunctionalInterface
    interface ElementReader<T> {
        T read(Object element);
    }

    static long price(String key, Object v) {
        if (v instanceof String s) {
            long p = Price.parse(s);
            if (p != Price.INVALID) {
                return p;
            }
        }
        throw new IllegalArgumentException(key + " must be a decimal string with at most 2 places, got " + shown(v));
    }

    static long longValue(String key, Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        throw new IllegalArgumentException(key + " must be an integer, got " + shown(v));
    }

    private long integer(String key, Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        throw bad(key, "an integer", v);
    }

    private int intValue(String key, Object v) {
        long n = integer(key, v);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw bad(key, "a 32-bit integer", v);
        }
        return (int) n;
    }

    private Object required(String key) {
        Object v = json.getValue(key);
        if (v == null) {
            throw new IllegalArgumentException(what + ": " + key + " is required");
        }
        return v;
    }

    private IllegalArgumentException bad(String key, String expected, Object got) {
        return new IllegalArgumentException(what + ": " + key + " must be " + expected + ", got " + shown(got));
    }

    private static String shown(Object v) {
        if (v == null) {
            return "nothing";
        }
        String s = v instanceof String str ? "\"" + str + "\"" : String.valueOf(v);
        return s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "…" : s;
    }

    private static <E extends Enum<E>> List<String> names(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
            names.add(c.name());
        }
        return names;
    }

    /** Puts a value, enums by name; leaves the key out when the value is absent. */
    static void put(JsonObject j, String key, Object value) {
        if (value != null) {
            j.put(key, value instanceof Enum<?> e ? e.name() : value);
        }
    }

    /** Puts a price as a decimal string with two places; leaves the key out for {@link Price#NONE}. */
    static void putPrice(JsonObject j, String key, long hundredths) {
        if (hundredths != Price.NONE) {
            j.put(key, Price.format(hundredths));
        }
    }
}
