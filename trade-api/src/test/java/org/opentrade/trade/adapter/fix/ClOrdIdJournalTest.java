package org.opentrade.trade.adapter.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClOrdIdJournalTest {
    @TempDir
    Path dir;

    /** Runs I/O tasks at once on the caller's thread, so the test sees each write done. */
    private static final java.util.concurrent.Executor NOW = Runnable::run;

    @Test
    void theLastReplacedClOrdIdOfEachOpenOrderSurvivesAReload() throws Exception {
        Path file = dir.resolve("j.tsv");
        try (ClOrdIdJournal j = new ClOrdIdJournal(file, NOW)) {
            j.load();
            j.replaced("dev-a", "101", "b");
            j.replaced("dev-a", "101", "c");
            j.replaced("dev-a", "102", "x");
            j.replaced("dev-b", "103", "y");
            j.closed("102");
        }
        Files.writeString(file, "104\tdev-a\tto", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND); // torn
        try (ClOrdIdJournal j = new ClOrdIdJournal(file, NOW)) {
            j.load();
            assertEquals("c", j.current("101"));
            assertNull(j.current("102"), "closed");
            assertEquals("y", j.current("103"));
            j.retain((account, orderId) -> Set.of("101").contains(orderId)); // 103 closed while we were down
            assertNull(j.current("103"));
            assertEquals("c", j.current("101"));
        }
        try (ClOrdIdJournal j = new ClOrdIdJournal(file, NOW)) {
            j.load();
            assertEquals(1, Files.readAllLines(file).size(), "rewritten with the open orders only");
            assertEquals("c", j.current("101"));
        }
    }

    @Test
    void theFileStaysProportionalToTheOpenOrdersHoweverManyReplacesComeIn() throws Exception {
        Path file = dir.resolve("j.tsv");
        try (ClOrdIdJournal j = new ClOrdIdJournal(file, NOW)) {
            j.load();
            for (int i = 0; i < 50_000; i++) {
                j.replaced("dev-a", "201", "r-" + i);
            }
            assertTrue(Files.readAllLines(file).size() <= 10_001, "compacted: " + Files.readAllLines(file).size());
            assertEquals("r-49999", j.current("201"));
        }
        try (ClOrdIdJournal j = new ClOrdIdJournal(file, NOW)) {
            j.load();
            assertEquals("r-49999", j.current("201"));
        }
    }

    @Test
    void writesAfterTheAcceptorStoppedAreDroppedWithoutFailingTheCaller() {
        java.util.concurrent.ExecutorService io = java.util.concurrent.Executors.newSingleThreadExecutor();
        io.shutdown();
        try (ClOrdIdJournal j = new ClOrdIdJournal(dir.resolve("j.tsv"), io)) {
            j.replaced("dev-a", "301", "z"); // no exception on the trade context
            assertNull(j.current("301"));
        }
    }
}
