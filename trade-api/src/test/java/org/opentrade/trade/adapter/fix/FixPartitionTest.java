package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.discovery.Partitions;

/** A FIX logon reaches the acceptor of one trade-api instance: it must be the instance of its account's partition. */
class FixPartitionTest {
    @TempDir
    Path dir;

    private static String developerIn(int partition, int of) {
        for (int i = 0; ; i++) {
            if (Partitions.of("dev_f" + i, of) == partition) {
                return "dev_f" + i;
            }
        }
    }

    @Test
    void aLogonForAnAccountOfAnotherPartitionIsRefusedNamingIt() throws Exception {
        try (FixHarness h = FixHarness.start(dir, Map.of("OPENTRADE_TRADE_PARTITIONS", "2",
                "OPENTRADE_TRADE_INSTANCE_ID", "2"))) {
            String theirs = developerIn(1, 2);
            try (FixClient c = new FixClient(h.fixPort, "C_" + theirs, h.key(theirs), "secret-" + theirs, Map.of())) {
                c.start();
                assertEquals("logon refused: this account is in trade-api partition 1 of 2; this acceptor serves"
                        + " partition 2: log on to that instance's FIX port", c.awaitLogoutText());
            }
            try (FixClient c = h.client(developerIn(2, 2))) {
                c.send(FixMessages.limitBuy("p-1", "601398.SH", 100, "7.12"));
                c.expectReport('0', '0', 0, 100);
            }
        }
    }
}
