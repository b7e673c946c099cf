package org.opentrade.exchange.adapter.eventbus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.domain.Instrument;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.domain.InstrumentProfile;
import org.opentrade.exchange.model.InstrumentInfo;
import org.opentrade.exchange.model.Universe;

/**
 * Serves {@link ExchangeAddresses#INSTRUMENTS}: the universe (rules and reference figures) and the
 * calendar, so services learn them from the exchange instead of reading its files. The reply is
 * built once (the universe is fixed while the exchange runs) and answered from memory on the event
 * loop; never blocks.
 */
public final class InstrumentsEndpoint {
    private final MessageConsumer<Object> consumer;

    private InstrumentsEndpoint(Vertx vertx, JsonObject reply) {
        this.consumer = vertx.eventBus().consumer(ExchangeAddresses.INSTRUMENTS, m -> m.reply(reply));
    }

    /** Registers the endpoint; completes once the address is registered. */
    public static Future<InstrumentsEndpoint> register(Vertx vertx, InstrumentCatalog catalog, String calendar,
                                                       String zone, String dayEnd, List<LocalDate> holidays) {
        InstrumentsEndpoint e = new InstrumentsEndpoint(vertx, ExchangeJson.toJson(universe(catalog, calendar, zone, dayEnd,
                holidays)));
        return e.consumer.completion().map(e);
    }

    static Universe universe(InstrumentCatalog catalog, String calendar, String zone, String dayEnd,
                             List<LocalDate> holidays) {
        List<InstrumentInfo> list = new ArrayList<>();
        for (Instrument i : catalog.all()) {
            InstrumentProfile p = catalog.profile(i.symbol());
            list.add(new InstrumentInfo(i.symbol(), i.name(), i.prevClose(), i.tickSize(), i.boardLot(),
                    i.maxOrderQty(), i.bandPercent(), p.floatShares(), p.eps()));
        }
        return new Universe(calendar, zone, dayEnd, list, holidays);
    }

    public Future<Void> close() {
        return consumer.unregister();
    }
}
