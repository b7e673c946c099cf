package org.opentrade.trade.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;
import org.opentrade.common.discovery.Partitions;

/**
 * A trade-api instance that serves one account partition acts only for the accounts of that
 * partition: another instance holds the others' orders and client order ids, so acting for them here
 * would split an account in two (a retried client_order_id placed twice).
 */
class TradePartitionTest {
    @TempDir
    Path dir;

    private static String developerIn(int partition, int of) {
        for (int i = 0; ; i++) {
            if (Partitions.of("dev_p" + i, of) == partition) {
                return "dev_p" + i;
            }
        }
    }

    @Test
    void anInstanceServesItsPartitionsAccountsAndRefusesOthersNamingTheirPartition() throws Exception {
        try (TradeHarness h = TradeHarness.start(dir, Map.of("OPENTRADE_TRADE_PARTITIONS", "2",
                "OPENTRADE_TRADE_INSTANCE_ID", "1"))) {
            String mine = developerIn(1, 2);
            String theirs = developerIn(2, 2);
            assertEquals(200, h.get(mine, "/v1/account").statusCode());
            var refused = h.get(theirs, "/v1/account");
            assertEquals(503, refused.statusCode());
            JsonObject error = refused.bodyAsJsonObject();
            assertEquals(-9001, error.getInteger("error_no"));
            assertTrue(error.getString("error").contains("this account is in partition 2"), error.encode());
            var order = h.order(theirs, new JsonObject().put("symbol", "600000.SH").put("side", "buy")
                    .put("type", "limit").put("price", "10.00").put("qty", 100));
            assertEquals(503, order.statusCode(), "no order placed for another partition's account");
            assertEquals(503, h.get(theirs, "/v1/stream/orders").statusCode(), "nor its order stream");
        }
    }

    @Test
    void theInstanceIdMustNameOneOfThePartitions() {
        ConfigException e = assertThrows(ConfigException.class, () -> TradeApiConfig.load(ConfigLoader.of(Map.of(
                "OPENTRADE_TRADE_PARTITIONS", "3", "OPENTRADE_TRADE_INSTANCE_ID", "4"), Map.of())));
        assertTrue(e.getMessage().contains("'store.instance_id' is 4 but 'store.partitions' is 3"), e.getMessage());
        assertEquals(0, TradeApiConfig.load(ConfigLoader.of(Map.of(), Map.of())).store().partitions(), "off by default");
    }
}
