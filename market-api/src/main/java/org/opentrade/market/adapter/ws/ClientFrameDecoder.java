package org.opentrade.market.adapter.ws;

import org.opentrade.common.json.StrictJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opentrade.market.domain.stream.StreamChannel;

/**
 * Decodes one client text message (docs/contracts.md): {@code {"op":"subscribe"|"unsubscribe","channels":[…],
 * "resume":{"<channel>":<seq>},"epoch":"<optional>"}}, {@code {"op":"ping"}}, {@code {"op":"auth",…}}. Anything else becomes
 * {@link ClientRequest.Invalid} with a message for the client. Channel lists are de-duplicated in order
 * and at most {@code maxChannels} long; resume entries for channels not listed are ignored.
 *
 * <p>Stateless; called on the connection's event loop so parsing never loads the owner context.
 */
final class ClientFrameDecoder {
    private static final String OPS = "op must be one of subscribe, unsubscribe, ping";
    private static final List<String> SUBSCRIBE_MEMBERS = List.of("op", "channels", "resume", "epoch");
    private static final List<String> UNSUBSCRIBE_MEMBERS = List.of("op", "channels");

    private final int maxChannels;

    ClientFrameDecoder(int maxChannels) {
        this.maxChannels = maxChannels;
    }

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
        switch (op) {
            case "ping":
                return new ClientRequest.Ping();
            case "auth":
                return new ClientRequest.Auth();
            case "subscribe":
            case "unsubscribe":
                return channelsRequest(op, frame);
            default:
                return new ClientRequest.Invalid("unknown op '" + StreamChannel.shorten(op) + "': " + OPS);
        }
    }

    private ClientRequest channelsRequest(String op, JsonObject frame) {
        // A member this op does not take is refused, not ignored: a misspelled "resume" made a fresh subscription
        // the client took for a resume, and the messages in between were lost without a word.
        String unknown = StrictJson.unknownMember(frame, op, op.equals("subscribe") ? SUBSCRIBE_MEMBERS
                : UNSUBSCRIBE_MEMBERS, StreamChannel.MAX_NAME_LENGTH);
        if (unknown != null) {
            return new ClientRequest.Invalid(unknown);
        }
        if (!(frame.getValue("channels") instanceof JsonArray array) || array.isEmpty()) {
            return new ClientRequest.Invalid("channels must be a non-empty array of channel names");
        }
        Set<String> channels = new LinkedHashSet<>();
        for (Object o : array) {
            if (!(o instanceof String s)) {
                return new ClientRequest.Invalid("channels must be a non-empty array of channel names");
            }
            channels.add(s);
        }
        if (channels.size() > maxChannels) {
            return new ClientRequest.Invalid("at most " + maxChannels + " channels per " + op);
        }
        List<String> list = new ArrayList<>(channels);
        if (op.equals("unsubscribe")) {
            return new ClientRequest.Unsubscribe(list);
        }
        Object resumeValue = frame.getValue("resume");
        Map<String, Long> resume = new LinkedHashMap<>();
        if (resumeValue != null) {
            if (!(resumeValue instanceof JsonObject r)) {
                return new ClientRequest.Invalid("resume must be an object {\"<channel>\": <last seq seen>}");
            }
            for (Map.Entry<String, Object> e : r) {
                Object v = e.getValue();
                long seq;
                if (v instanceof Integer || v instanceof Long) {
                    seq = ((Number) v).longValue();
                } else {
                    seq = -1;
                }
                if (seq < 0) {
                    return new ClientRequest.Invalid("resume seq of '" + StreamChannel.shorten(e.getKey())
                            + "' must be a non-negative integer");
                }
                if (channels.contains(e.getKey())) {
                    resume.put(e.getKey(), seq);
                }
            }
        }
        Object epoch = frame.getValue("epoch");
        if (epoch != null && !(epoch instanceof String)) {
            return new ClientRequest.Invalid("epoch must be the string of a subscribed frame's epoch");
        }
        return new ClientRequest.Subscribe(list, resume, (String) epoch);
    }
}
