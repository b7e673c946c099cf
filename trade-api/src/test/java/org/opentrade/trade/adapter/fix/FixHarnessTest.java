package org.opentrade.trade.adapter.fix;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@link FixHarness} (the exchange, trade-api and its FIX acceptor in one Vert.x) per test class,
 * in a temporary directory: started before the class's tests, closed after them. Test classes run
 * one after another, so the static harness is the running class's.
 */
abstract class FixHarnessTest {
    @TempDir
    static Path dir;
    static FixHarness h;

    @BeforeAll
    static void startHarness() throws Exception {
        h = FixHarness.start(dir);
    }

    @AfterAll
    static void closeHarness() throws Exception {
        if (h != null) {
            h.close();
            h = null;
        }
    }
}
