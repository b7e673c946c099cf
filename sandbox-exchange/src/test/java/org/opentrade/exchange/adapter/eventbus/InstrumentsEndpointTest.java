package org.opentrade.exchange.adapter.eventbus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.adapter.csv.UniverseFile;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.ExchangeJson;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.model.InstrumentInfo;
import org.opentrade.exchange.model.Universe;

class InstrumentsEndpointTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void answersEveryInstrumentWithRulesReferenceFiguresAndTheCalendar() throws Exception {
        InstrumentCatalog catalog = UniverseFile.loadDefault();
        InstrumentsEndpoint.register(vertx, catalog, "continuous", "Asia/Shanghai", "15:00", java.util.List.of())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Object body = vertx.eventBus().request(ExchangeAddresses.INSTRUMENTS, new JsonObject())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
        Universe u = ExchangeJson.universeFromJson((JsonObject) body);
        assertEquals("continuous", u.calendar());
        assertEquals("Asia/Shanghai", u.zone());
        assertEquals("15:00", u.dayEnd());
        assertEquals(catalog.size(), u.instruments().size());
        InstrumentInfo pf = u.instruments().stream().filter(i -> i.symbol().equals("600000.SH")).findFirst().orElseThrow();
        assertEquals(new InstrumentInfo("600000.SH", "浦发银行", 1045, 1, 100, 1_000_000, 10, 29_352_000_000L, 127), pf);
        InstrumentInfo loss = u.instruments().stream().filter(i -> i.symbol().equals("601012.SH")).findFirst().orElseThrow();
        assertEquals(-114, loss.eps(), "negative EPS survives the wire");
    }
}
