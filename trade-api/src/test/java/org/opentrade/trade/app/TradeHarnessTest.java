package org.opentrade.trade.app;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@link TradeHarness} (the exchange and trade-api in one Vert.x) per test class, in a temporary directory:
 * started before the class's tests, closed after them. Test classes run one after another, so the static
 * harness is the running class's.
 */
abstract class TradeHarnessTest {
    @TempDir
    static Path dir;
    static TradeHarness h;

    @BeforeAll
    static void startHarness() throws Exception {
        h = TradeHarness.start(dir);
    }

    @AfterAll
    static void closeHarness() throws Exception {
        if (h != null) {
            h.close();
            h = null;
        }
    }
}
