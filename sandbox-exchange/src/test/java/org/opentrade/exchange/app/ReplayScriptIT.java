package org.opentrade.exchange.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.exchange.adapter.csv.ReplayEventWriter;
import org.opentrade.exchange.domain.FastOrderBook;

/**
 * The real script, as tools outside the project call it: {@code sandbox-exchange/replay in.csv
 * out.csv} from the repository root, in its own JVM, on the packaged jar (Failsafe runs this after
 * {@code package}).
 */
class ReplayScriptIT {
    private static final int ROWS = 100_000;
    private static final Set<String> EVENTS = Set.of("ACCEPTED", "REJECTED", "TRADE", "CANCELED", "REPLACED", "EXPIRED");
    private static Path module;
    private static Path repoRoot;

    @BeforeAll
    static void locateScript() {
        module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        repoRoot = module.getParent();
        assertTrue(Files.isExecutable(module.resolve("replay")), "no executable script at " + module);
    }

    private static Process start(Path log, String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = "sandbox-exchange/replay";
        System.arraycopy(args, 0, command, 1, args.length);
        return new ProcessBuilder(command).directory(repoRoot.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    private static int finish(Process p, Path log) throws Exception {
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "replay did not finish; log:\n" + Files.readString(log));
        return p.exitValue();
    }

    @Test
    void scriptReplaysAHundredThousandRowsExactlyLikeTheInProcessTool(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.csv");
        Path out = dir.resolve("out.csv");
        Path log = dir.resolve("replay.log");
        String input = ReplayCsv.randomInput(2026, ROWS);
        Files.writeString(in, input);

        int exit = finish(start(log, in.toString(), out.toString()), log);
        assertEquals(0, exit, "exit code; log:\n" + Files.readString(log));

        List<String> lines = Files.readAllLines(out);
        assertEquals(ReplayEventWriter.HEADER, lines.get(0));
        assertTrue(lines.size() > ROWS, "at least one event per row: " + lines.size());
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            assertEquals(9, f.length, "line " + i + ": " + lines.get(i));
            assertEquals(Long.toString(i), f[0], "seq is gap-free from 1 at line " + i);
            assertTrue(EVENTS.contains(f[1]), "event name at line " + i + ": " + lines.get(i));
        }
        assertEquals(ReplayCsv.replay(input, FastOrderBook::new), Files.readString(out));
        assertTrue(Files.readString(log).contains("wrote " + (lines.size() - 1) + " events"), Files.readString(log));
    }

    @Test
    void scriptWithoutTwoArgumentsPrintsUsageAndExits64(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("replay.log");
        assertEquals(64, finish(start(log, "only-one.csv"), log));
        assertTrue(Files.readString(log).contains("usage: replay <commands.csv> <events.csv>"));
    }

    @Test
    void missingInputFileExits2WithAMessage(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("replay.log");
        Path missing = dir.resolve("missing.csv");
        assertEquals(2, finish(start(log, missing.toString(), dir.resolve("out.csv").toString()), log));
        assertTrue(Files.readString(log).contains("replay: "), Files.readString(log));
    }
}
