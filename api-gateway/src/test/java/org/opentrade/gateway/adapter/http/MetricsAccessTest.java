package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.app.TestGateway;

/** Who reads /metrics on the gateway's public port ({@link MetricsAccess}), behind a trusted proxy on loopback. */
class MetricsAccessTest {
    @TempDir
    Path dir;
    TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.startServer(Vertx.vertx(), dir, "", null, "  trusted_proxies: [\"127.0.0.0/8\"]\n");
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    /** /metrics names the upstream instances' internal addresses: only the allowed addresses or the admin token read it. */
    @Test
    void metricsAreForTheOperationsAddressesOrTheAdminTokenNotForAForwardedClient() throws Exception {
        HttpResponse<String> local = gw.send(gw.request("/metrics").GET());
        assertEquals(200, local.statusCode(), "loopback, the default allow-list: " + local.body());
        assertTrue(local.body().contains("opentrade_gateway_requests_total"), local.body());
        for (String[] forwarded : new String[][] {{"198.51.100.7"}, {"127.0.0.1, 198.51.100.7"}, {"127.0.0.1", "198.51.100.7"}}) {
            HttpRequest.Builder b = gw.request("/metrics").GET();
            for (String line : forwarded) {
                b.header("X-Forwarded-For", line);
            }
            HttpResponse<String> outside = gw.send(b);
            assertEquals(401, outside.statusCode(), String.join(" | ", forwarded) + ": " + outside.body());
            assertEquals(-2017, new JsonObject(outside.body()).getInteger("error_no"));
            assertTrue(outside.headers().firstValue("WWW-Authenticate").orElse("").contains("AdminToken"),
                    outside.headers().map().toString());
            assertTrue(!outside.body().contains("127.0.0.1:"), "no instance address: " + outside.body());
        }
        HttpResponse<String> wrongToken = gw.send(gw.request("/metrics").GET().header("X-Forwarded-For", "198.51.100.7")
                .header("X-Admin-Token", TestGateway.ADMIN_TOKEN + "x"));
        assertEquals(401, wrongToken.statusCode());
        HttpResponse<String> operator = gw.send(gw.request("/metrics").GET().header("X-Forwarded-For", "198.51.100.7")
                .header("X-Admin-Token", TestGateway.ADMIN_TOKEN));
        assertEquals(200, operator.statusCode(), operator.body());
        assertEquals(200, gw.send(gw.request("/health").GET().header("X-Forwarded-For", "198.51.100.7")).statusCode(),
                "health stays public");
    }
}
