package org.opentrade.trade.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Span names are Zipkin's index per service (its in-memory store keeps a service's span names for as long as the
 * service sends spans): a path parameter a caller chose must never become part of one.
 */
class TradeSpanNamesTest {

    @Test
    void aSymbolTheCallerChoseNeverNamesThePositionSpan() {
        assertEquals("/v1/positions/{symbol}", TradeRoutes.routeName("/v1/positions/600000.SH"));
        assertEquals("/v1/positions/{symbol}", TradeRoutes.routeName("/v1/positions/anything-at-all-" + System.nanoTime()));
    }

    @Test
    void everyRouteWithAParameterNamesItsSpansByItsTemplate() {
        Vertx vertx = Vertx.vertx();
        try {
            Router router = Router.router(vertx);
            new TradeRoutes(null, null, request -> null, () -> true, () -> 0L, 1024, 0).mount(router);
            List<String> templates = router.getRoutes().stream().map(Route::getPath)
                    .filter(p -> p != null && p.contains("/:")).distinct().toList();
            assertFalse(templates.isEmpty(), "the routes with a parameter");
            for (String template : templates) {
                String invented = "caller-chose-" + System.nanoTime();
                String path = template.replaceAll(":[a-z_]+", invented);
                String name = TradeRoutes.routeName(path);
                assertFalse(name.contains(invented), template + " names its span " + name);
                assertTrue(name.startsWith(template.substring(0, template.indexOf("/:"))), template + " -> " + name);
            }
        } finally {
            vertx.close();
        }
    }
}
