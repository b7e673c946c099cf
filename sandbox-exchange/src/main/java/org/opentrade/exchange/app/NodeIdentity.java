package org.opentrade.exchange.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.opentrade.exchange.domain.failover.LeaderRecord;

/**
 * Failover's view of a data directory: the node id that names it in the leadership register (kept in
 * {@value #FILE}, made once), and moving a shard's old data aside before a standby installs a
 * leader's image over it.
 */
final class NodeIdentity {
    private static final Logger LOG = Logger.getLogger(NodeIdentity.class.getName());
    static final String FILE = "node-id";
    /** Older copies of a shard kept aside (the newest); older ones are deleted. */
    static final int KEEP_ASIDE = 1;

    private NodeIdentity() {
    }

    /**
     * The node id of {@code dataDir}, made on first use. It names the data, not the process: the
     * register says whose data holds every acknowledged command.
     */
    static String of(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return LeaderRecord.checkNode(Files.readString(file, StandardCharsets.UTF_8).strip());
            }
            Files.createDirectories(dataDir);
            String id = "ex-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
            Path tmp = dataDir.resolve(FILE + ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make " + file, e);
        }
    }

    /**
     * Renames {@code shard-N} to {@code shard-N.replaced-<millis>} (it may hold commands of a history
     * the leader never acknowledged: kept for inspection, not recovered), keeping the newest
     * {@value #KEEP_ASIDE} such copy per shard.
     */
    static void moveShardAside(Path dataDir, int shard) {
        Path dir = dataDir.resolve("shard-" + shard);
        try {
            if (Files.exists(dir)) {
                Path aside = dataDir.resolve("shard-" + shard + ".replaced-" + System.currentTimeMillis());
                Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("exchange failover: moved " + dir + " aside to " + aside.getFileName());
            }
            List<Path> old;
            try (Stream<Path> s = Files.list(dataDir)) {
                old = s.filter(p -> p.getFileName().toString().startsWith("shard-" + shard + ".replaced-"))
                        .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
            }
            for (Path p : old.subList(Math.min(KEEP_ASIDE, old.size()), old.size())) {
                deleteTree(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + dir + " aside", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
