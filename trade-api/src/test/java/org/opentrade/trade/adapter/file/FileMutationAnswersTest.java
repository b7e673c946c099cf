package org.opentrade.trade.adapter.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.trade.port.MutationAnswers;
import org.opentrade.trade.port.MutationAnswersContract;

class FileMutationAnswersTest extends MutationAnswersContract {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("mutation-answers.log");
    }

    @Override
    protected MutationAnswers newAnswers() {
        return new FileMutationAnswers(file(), BOUNDS);
    }

    @Override
    protected MutationAnswers nextProcess() {
        return new FileMutationAnswers(file(), BOUNDS);
    }

    @Test
    void aLineTornByACrashIsSkippedAndTheFileKeepsOnlyWhatIsLoaded() throws Exception {
        try (MutationAnswers store = newAnswers()) {
            store.load(NOW);
            store.record(answer("k1", NOW - 5));
            store.record(answer("old", NOW - MutationAnswers.KEPT_MILLIS - 5));
        }
        Files.writeString(file(), "1780000000000\tdev_a\tk2\tab\t20", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (MutationAnswers next = nextProcess()) {
            assertEquals(List.of(answer("k1", NOW - 5)), next.load(NOW));
            next.record(answer("k3", NOW - 1));
        }
        List<String> lines = Files.readAllLines(file(), StandardCharsets.UTF_8);
        assertEquals(List.of(answer("k1", NOW - 5).line(), answer("k3", NOW - 1).line()), lines,
                "rewritten from what was loaded, then appended to");
    }

    @Test
    void theFileIsCompactedWhileRunningOnceItHoldsTwiceTheBound() throws Exception {
        try (MutationAnswers store = newAnswers()) {
            store.load(NOW);
            for (int i = 0; i < 4 * MAX_KEPT; i++) {
                store.record(answer("k" + i, NOW - 1_000 + i));
            }
        }
        long lines = Files.readAllLines(file(), StandardCharsets.UTF_8).size();
        assertTrue(lines < 2 * MAX_KEPT, "compacted as it grew: " + lines + " lines");
    }
}
