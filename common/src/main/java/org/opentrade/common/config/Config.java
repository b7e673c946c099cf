package org.opentrade.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service's loaded configuration: a YAML tree with {@code ${ENV:default}} already expanded,
 * read through typed accessors. Keys are dotted paths relative to this section
 * ({@code "http.port"}); error messages always show the full path from the file's root.
 *
 * <p>Every accessor validates: a value that cannot be read, or is out of range, throws a
 * {@link ConfigException} naming the key, the value and what is allowed. An absent key, a YAML
 * null or an empty string takes the given default. Read everything once at start-up into an
 * immutable config record, then call {@link #rejectUnknownKeys()} so a misspelt key fails too.
 *
 * <p>Not thread-safe while being read (it remembers which keys were read); the records built from
 * it are what the service shares.
 */
public final class Config {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final JsonNode node;
    private final String prefix;
    private final String origin;
    private final Set<String> used;

    Config(JsonNode node, String prefix, String origin, Set<String> used) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.prefix = prefix;
        this.origin = origin;
        this.used = used;
    }

    /** Where the values came from (resource and override file), for log lines. */
    public String origin() {
        return origin;
    }

    /** A nested section; an absent one is empty, so every key in it takes its default. */
    public Config section(String key) {
        JsonNode n = find(key);
        if (!n.isMissingNode() && !n.isNull() && !n.isObject()) {
            throw fail(key, n.asText(), "a section (a YAML mapping of keys)");
        }
        return new Config(n, full(key), origin, used);
    }

    /** True when the key has a non-empty value. */
    public boolean has(String key) {
        return text(key) != null;
    }

    /** A required string. */
    public String string(String key) {
        String v = text(key);
        if (v == null) {
            throw new ConfigException("config key '" + full(key) + "' is required but missing (" + origin + ")");
        }
        return v;
    }

    public String string(String key, String def) {
        String v = text(key);
        return v == null ? def : v;
    }

    public int intValue(String key, int def, int min, int max) {
        return (int) longValue(key, def, min, max);
    }

    public long longValue(String key, long def, long min, long max) {
        String v = text(key);
        if (v == null) {
            return def;
        }
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw fail(key, v, "an integer in " + min + ".." + max);
        }
        if (n < min || n > max) {
            throw fail(key, v, "an integer in " + min + ".." + max);
        }
        return n;
    }

    public double doubleValue(String key, double def, double min, double max) {
        String v = text(key);
        if (v == null) {
            return def;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw fail(key, v, "a number in " + min + ".." + max);
        }
        if (Double.isNaN(d) || d < min || d > max) {
            throw fail(key, v, "a number in " + min + ".." + max);
        }
        return d;
    }

    public boolean bool(String key, boolean def) {
        String v = text(key);
        if (v == null) {
            return def;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw fail(key, v, "one of [true, false]");
        };
    }

    /**
     * One of an enum's constants, compared without case and with {@code -} read as {@code _}
     * ({@code a-share} matches {@code A_SHARE}).
     */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E def) {
        String v = text(key);
        if (v == null) {
            return def;
        }
        String wanted = v.replace('-', '_').toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw fail(key, v, "one of " + allowed);
    }

    /** One of a fixed set of words (exact match after lower-casing). */
    public String oneOf(String key, String def, String... allowed) {
        String v = text(key);
        if (v == null) {
            return def;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(lower)) {
                return a;
            }
        }
        throw fail(key, v, "one of " + Arrays.toString(allowed));
    }

    /** A duration: {@code 250ms}, {@code 5s}, {@code 10m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT5S}). */
    public Duration duration(String key, Duration def) {
        String v = text(key);
        if (v == null) {
            return def;
        }
        Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw fail(key, v, "a duration such as 250ms, 5s, 10m, 2h, 1d or PT5S");
        }
    }

    /** A time of day, {@code HH:mm} or {@code HH:mm:ss}. */
    public LocalTime time(String key, LocalTime def) {
        String v = text(key);
        if (v == null) {
            return def;
        }
        try {
            return LocalTime.parse(v);
        } catch (DateTimeParseException e) {
            throw fail(key, v, "a time of day as HH:mm or HH:mm:ss");
        }
    }

    /** A list of ISO dates ({@code 2026-10-01}), as a YAML list or one comma-separated string. */
    public List<LocalDate> dates(String key) {
        List<LocalDate> out = new ArrayList<>();
        for (String s : strings(key)) {
            try {
                out.add(LocalDate.parse(s));
            } catch (DateTimeParseException e) {
                throw fail(key, s, "dates as yyyy-MM-dd");
            }
        }
        return out;
    }

    /** A list of strings, as a YAML list or one comma-separated string; empty when absent. */
    public List<String> strings(String key) {
        JsonNode n = find(key);
        used.add(full(key));
        List<String> out = new ArrayList<>();
        if (n.isMissingNode() || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            for (JsonNode e : n) {
                if (!e.isValueNode()) {
                    throw fail(key, e.toString(), "a list of plain values");
                }
                String s = e.asText().strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
            return out;
        }
        if (!n.isValueNode()) {
            throw fail(key, n.toString(), "a list of plain values or a comma-separated string");
        }
        for (String s : n.asText().split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /** A file system path; relative paths stay relative to the working directory. */
    public Path path(String key, String def) {
        String v = string(key, def);
        if (v == null) {
            return null;
        }
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw fail(key, v, "a file system path");
        }
    }

    /**
     * Fails on any key in this section (recursively) that no accessor has read: a misspelt key
     * would otherwise be silently ignored and its default used.
     */
    public void rejectUnknownKeys() {
        List<String> unknown = new ArrayList<>();
        collectUnknown(node, prefix, unknown);
        if (!unknown.isEmpty()) {
            Set<String> known = new TreeSet<>(used);
            throw new ConfigException("unknown config key" + (unknown.size() > 1 ? "s " : " ") + unknown + " ("
                    + origin + "); known keys are " + known);
        }
    }

    private void collectUnknown(JsonNode n, String path, List<String> into) {
        if (!n.isObject()) {
            return;
        }
        Iterator<String> names = n.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            String p = path.isEmpty() ? name : path + "." + name;
            JsonNode child = n.get(name);
            if (child.isObject()) {
                collectUnknown(child, p, into);
            } else if (!used.contains(p)) {
                into.add(p);
            }
        }
    }

    private JsonNode find(String key) {
        JsonNode n = node;
        for (String part : key.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

    private String text(String key) {
        used.add(full(key));
        JsonNode n = find(key);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw fail(key, n.toString(), "a single value");
        }
        String s = n.asText().strip();
        return s.isEmpty() ? null : s;
    }

    private String full(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    private ConfigException fail(String key, String value, String allowed) {
        return new ConfigException("config key '" + full(key) + "' has value '" + value + "'; allowed: " + allowed
                + " (" + origin + ")");
    }
}
