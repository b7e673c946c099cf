package org.opentrade.trade.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/** {@link HistoryKeptChangeScenario} on the file store (the default): losing the snapshots is deleting them. */
class HistoryKeptChangeTest extends HistoryKeptChangeScenario {
    @Override
    Map<String, String> storeEnv() {
        return Map.of();
    }

    @Override
    void dropSnapshots() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("trade/snapshots"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".snap")).toList()) {
                Files.delete(p);
            }
        }
    }
}
