package org.opentrade.bench.exchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories for journal benchmarks, under {@code -Djournal.dir} (default: the JVM's temp
 * directory). Point it at the disk the exchange would really use: fsync cost is a property of the
 * device, not of the code.
 */
final class BenchDirectories {
    private BenchDirectories() {
    }

    static Path create(String prefix) {
        try {
            Path parent = Path.of(System.getProperty("journal.dir", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a journal directory; set -Djournal.dir to a writable path",
                    e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
