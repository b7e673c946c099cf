package org.opentrade.trade.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TradeRestartScenario} on the file store (the default): intents and snapshots under
 * {@code <dir>/trade}; losing the snapshots is deleting {@code <dir>/trade/snapshots}.
 */
class TradeRestartTest extends TradeRestartScenario {
    @TempDir
    Path dir;

    @Override
    TradeHarness start() throws Exception {
        return TradeHarness.start(dir);
    }

    @Override
    void dropSnapshots() throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("trade/snapshots"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
