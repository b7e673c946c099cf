package org.opentrade.common.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

/**
 * Request bodies decoded as Vert.x's codec does, except that an object naming one member twice is refused
 * ({@code {"symbol":"A","symbol":"B"}}). JSON leaves such a body's meaning to the parser (RFC 8259 §4: names
 * SHOULD be unique), so two parsers on one request's path may read it differently: the gateway's limiter and
 * the service behind it, say, each picking another symbol. Refused at every service's edge, no hop ever acts
 * on a body another hop reads otherwise. Stateless; any thread.
 */
public final class StrictJson {
    private StrictJson() {
    }

    /**
     * The JSON value of {@code body} (a {@link JsonObject}, {@code JsonArray}, String, Number, Boolean or null).
     *
     * @throws Duplicate     when an object names a member twice
     * @throws DecodeException when it is not one JSON value
     */
    public static Object decode(Buffer body) {
        return decode(JacksonCodec.createParser(body));
    }

    /** As {@link #decode(Buffer)} for a text (a WebSocket text frame). */
    public static Object decode(String text) {
        return decode(JacksonCodec.createParser(text));
    }

    /** A client's stream frame: the object, or why it is not one (null object). */
    public record Frame(JsonObject object, String problem) {
    }

    /**
     * A WebSocket client frame decoded strictly: a JSON object, or the problem its error frame says (not an
     * object, or one naming a member twice, whose meaning would be whatever the parser picks).
     */
    public static Frame frame(String text) {
        try {
            return decode(text) instanceof JsonObject o ? new Frame(o, null)
                    : new Frame(null, "not a JSON object: expected {\"op\":...}");
        } catch (Duplicate e) {
            return new Frame(null, "the frame is ambiguous: " + e.getMessage());
        } catch (DecodeException e) {
            return new Frame(null, "not a JSON object: expected {\"op\":...}");
        }
    }

    /**
     * The problem of a client frame with a member its {@code op} does not take ({@code allowed}), naming the
     * first such member (cut to {@code maxEcho} characters) and the allowed ones; null when there is none. A
     * member the receiver would ignore changes what the frame means to its sender (a misspelled
     * {@code "resume"} is a fresh subscription the client takes for a resume), so it is refused instead.
     */
    public static String unknownMember(JsonObject frame, String op, java.util.List<String> allowed, int maxEcho) {
        for (String name : frame.fieldNames()) {
            if (!allowed.contains(name)) {
                String shown = name.length() <= maxEcho ? name : name.substring(0, maxEcho) + "…";
                return "unknown member '" + shown + "' in the " + op + " frame; allowed: " + String.join(", ", allowed);
            }
        }
        return null;
    }

    private static Object decode(JsonParser parser) {
        parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // Vert.x's codec allows /* */ and // comments, which are not JSON: a body with one was read (and its order
        // placed) where another JSON reader refuses it.
        parser.disable(JsonParser.Feature.ALLOW_COMMENTS);
        parser.disable(JsonParser.Feature.ALLOW_YAML_COMMENTS);
        try {
            return JacksonCodec.fromParser(parser, Object.class);
        } catch (DecodeException e) {
            throw duplicateOr(e);
        }
    }

    private static DecodeException duplicateOr(DecodeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonParseException p && p.getOriginalMessage() != null
                    && p.getOriginalMessage().startsWith("Duplicate field '")) {
                String m = p.getOriginalMessage();
                int end = m.indexOf('\'', "Duplicate field '".length());
                return new Duplicate(end < 0 ? "?" : m.substring("Duplicate field '".length(), end));
            }
        }
        return e;
    }

    /** A JSON object named one member twice. */
    public static final class Duplicate extends DecodeException {
        private final String name;

        Duplicate(String name) {
            super("the member '" + printable(name) + "' is named twice in one object");
            this.name = name;
        }

        /** The member named twice, as decoded; the message has it cut to 40 characters, control characters as '?'. */
        public String name() {
            return name;
        }

        private static String printable(String name) {
            String s = name.length() > 40 ? name.substring(0, 40) + "…" : name;
            return s.replaceAll("\\p{Cntrl}", "?");
        }
    }
}
