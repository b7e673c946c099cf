package org.opentrade.trade.adapter.ws;

import org.opentrade.common.json.StrictJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes one client text message of the order stream (docs/contracts.md): {@code {"op":"subscribe"|"unsubscribe",
 * "channels":[…],"resume":{"orders":<seq>},"epoch":"<optional>"}}, {@code {"op":"ping"}}, {@code {"op":"auth",…}}.
 * Anything else becomes {@link ClientRequest.Invalid} with a message for the client. Channel lists are
 * de-duplicated in order and at most {@link #MAX_CHANNELS} long; resume entries for channels other than
 * {@code orders} must still be well-formed but are ignored. Nothing decoded here can name an account: the
 * connection's account comes from its {@link StreamCaller} only.
 *
 * <p>Stateless; called on the connection's event loop so parsing never loads the owner context.
 */
final class ClientFrameDecoder {
    static final int MAX_CHANNELS = 16;
    private static final int MAX_ECHO_CHARS = 64;
    private static final String OPS = "op must be one of subscribe, unsubscribe, ping";
    private static final List<String> SUBSCRIBE_MEMBERS = List.of("op", "channels", "resume", "epoch");
    private static final List<String> UNSUBSCRIBE_MEMBERS = List.of("op", "channels");

    ClientRequest decode(String text) {
        // Strict: a frame naming a member twice ({"op":"subscribe","op":"ping"}) would mean what the parser picks;
        // refused as the gateway refuses such an auth frame and REST such a body.
        StrictJson.Frame decoded = StrictJson.frame(text);
        if (decoded.problem() != null) {
            return new ClientRequest.Invalid(decoded.problem());
        }
        JsonObject frame = decoded.object();
        if (!(frame.getValue("op") instanceof String op)) {
            return new ClientRequest.Invalid(OPS);
        }
        return switch (op) {
            case "ping" -> new ClientRequest.Ping();
            case "auth" -> new ClientRequest.Auth();
            case "subscribe", "unsubscribe" -> channelsRequest(op, frame);
            default -> new ClientRequest.Invalid("unknown op '" + shorten(op) + "': " + OPS);
        };
    }

    private static ClientRequest channelsRequest(String op, JsonObject frame) {
        // A member this op does not take is refused, not ignored: a misspelled "resume" made a fresh subscription
        // the client took for a resume, and the messages in between were lost without a word.
        String unknown = StrictJson.unknownMember(frame, op, op.equals("subscribe") ? SUBSCRIBE_MEMBERS
                : UNSUBSCRIBE_MEMBERS, MAX_ECHO_CHARS);
        if (unknown != null) {
            return new ClientRequest.Invalid(unknown);
        }
        if (!(frame.getValue("channels") instanceof JsonArray array) || array.isEmpty()) {
            return new ClientRequest.Invalid("channels must be a non-empty array of channel names, e.g. [\"orders\"]");
        }
        Set<String> channels = new LinkedHashSet<>();
        for (Object o : array) {
            if (!(o instanceof String s)) {
                return new ClientRequest.Invalid("channels must be a non-empty array of channel names, e.g. [\"orders\"]");
            }
            channels.add(s);
        }
        if (channels.size() > MAX_CHANNELS) {
            return new ClientRequest.Invalid("at most " + MAX_CHANNELS + " channels per " + op);
        }
        List<String> list = new ArrayList<>(channels);
        if (op.equals("unsubscribe")) {
            return new ClientRequest.Unsubscribe(list);
        }
        Object resumeValue = frame.getValue("resume");
        long resume = -1;
        if (resumeValue != null) {
            if (!(resumeValue instanceof JsonObject r)) {
                return new ClientRequest.Invalid("resume must be an object {\"orders\": <last seq seen>}");
            }
            for (Map.Entry<String, Object> e : r) {
                Object v = e.getValue();
                long seq = v instanceof Integer || v instanceof Long ? ((Number) v).longValue() : -1;
                if (seq < 0) {
                    return new ClientRequest.Invalid("resume seq of '" + shorten(e.getKey())
                            + "' must be a non-negative integer");
                }
                if (OrderStreams.CHANNEL.equals(e.getKey()) && channels.contains(OrderStreams.CHANNEL)) {
                    resume = seq;
                }
            }
        }
        Object epoch = frame.getValue("epoch");
        if (epoch != null && !(epoch instanceof String)) {
            return new ClientRequest.Invalid("epoch must be the string of a subscribed frame's epoch");
        }
        return new ClientRequest.Subscribe(list, resume, (String) epoch);
    }

    /** A client-supplied name cut to a length safe to echo in an error message. */
    static String shorten(String s) {
        return s.length() <= MAX_ECHO_CHARS ? s : s.substring(0, MAX_ECHO_CHARS) + "…";
    }
}
