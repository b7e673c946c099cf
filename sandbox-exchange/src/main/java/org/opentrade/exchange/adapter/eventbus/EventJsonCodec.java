package org.opentrade.exchange.adapter.eventbus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.model.ExchangeEvent;

/**
 * Local-bus codec of the per-event JSON messages ({@link EventBusPublisher}, JSON events on): the event
 * is sent as the object, and each local consumer receives {@link ExchangeJson#toJson(ExchangeEvent)} (a
 * fresh JsonObject, as the JsonObject codec's copy would give it). So an event nobody listens to costs no
 * encoding: in the all-in-one nobody does, and the encoding was a few percent of the exchange loop's CPU
 * and of the JVM's allocation per order. Only on a non-clustered bus; a clustered one gets the JsonObject
 * itself (a remote consumer may not know this codec). Stateless; any thread.
 */
final class EventJsonCodec implements MessageCodec<ExchangeEvent, JsonObject> {
    static final String NAME = "opentrade.exchange-event-json";
    static final EventJsonCodec INSTANCE = new EventJsonCodec();

    private EventJsonCodec() {
    }

    @Override
    public void encodeToWire(Buffer buffer, ExchangeEvent e) {
        Buffer json = ExchangeJson.toJson(e).toBuffer();
        buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public JsonObject decodeFromWire(int pos, Buffer buffer) {
        int length = buffer.getInt(pos);
        return new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
    }

    @Override
    public JsonObject transform(ExchangeEvent e) {
        return ExchangeJson.toJson(e);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
