package org.opentrade.exchange.client;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandResult;

/**
 * Codecs that carry a {@link Command} and its {@link CommandResult} over {@link ExchangeAddresses#COMMANDS}
 * as the objects themselves on a local (non-clustered) bus: both are immutable, so the JSON encoding,
 * the bus's deep copy of the JsonObject and the decoding on the other side (a few percent of the CPU per
 * order in the all-in-one) are skipped. The endpoint reads a Command body as it would read its JSON form
 * ({@link ExchangeJson#commandFromObject}). On the wire (a clustered bus) each travels as its JSON form,
 * length-prefixed, and is received as that {@link JsonObject}; senders use these codecs only on a local
 * bus, where a peer without them cannot exist.
 *
 * <p>Stateless and thread-safe. {@link #register} is idempotent.
 */
public final class CommandCodecs {
    /** Codec name of a {@link Command} body. */
    public static final String COMMAND = "opentrade.command";
    /** Codec name of a {@link CommandResult} reply. */
    public static final String RESULT = "opentrade.command-result";

    private CommandCodecs() {
    }

    /** Registers both codecs by name on {@code vertx}'s bus; a second call is a no-op. */
    public static void register(Vertx vertx) {
        for (MessageCodec<?, ?> c : new MessageCodec<?, ?>[] {new ObjectCodec<Command>(COMMAND) {
            @Override
            JsonObject json(Command c) {
                return ExchangeJson.toJson(c);
            }
        }, new ObjectCodec<CommandResult>(RESULT) {
            @Override
            JsonObject json(CommandResult r) {
                return ExchangeJson.toJson(r);
            }
        }}) {
            try {
                vertx.eventBus().registerCodec(c);
            } catch (IllegalStateException registeredBefore) {
                // by the other side of the bus in the same Vert.x: the same behaviour
            }
        }
    }

    /** The object itself locally; its JSON form (received as a JsonObject) on the wire. */
    private abstract static class ObjectCodec<T> implements MessageCodec<T, Object> {
        private final String name;

        ObjectCodec(String name) {
            this.name = name;
        }

        abstract JsonObject json(T value);

        @Override
        public void encodeToWire(Buffer buffer, T value) {
            Buffer json = json(value).toBuffer();
            buffer.appendInt(json.length()).appendBuffer(json);
        }

        @Override
        public Object decodeFromWire(int pos, Buffer buffer) {
            int length = buffer.getInt(pos);
            return new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
        }

        @Override
        public Object transform(T value) {
            return value;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }
}
