package org.opentrade.exchange.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The shard count a data directory was written with, kept in {@value #FILE}: symbols hash onto shards
 * by that count and each shard's journal holds its symbols' commands, so recovering the journals under
 * another count would put orders on the wrong shard. A directory written before this file existed
 * holds one {@code shard-N/} per shard of its exchange, so their number is its count.
 */
final class DataDirLayout {
    static final String FILE = "shards";

    private DataDirLayout() {
    }

    /**
     * Records {@code shards} in a new data directory, or checks it against the recorded count.
     *
     * @throws IllegalStateException when the directory was written with another shard count
     */
    static void check(Path dataDir, int shards) {
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve(FILE);
            int recorded;
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8).strip();
                try {
                    recorded = Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    throw new IllegalStateException(file + " should hold the data directory's shard count, holds '"
                            + text + "'");
                }
            } else {
                try (Stream<Path> dirs = Files.list(dataDir)) {
                    recorded = (int) dirs.filter(p -> p.getFileName().toString().matches("shard-\\d+")
                            && Files.isDirectory(p)).count();
                }
                if (recorded == 0) {
                    Files.writeString(file, shards + "\n", StandardCharsets.UTF_8);
                    return;
                }
            }
            if (recorded != shards) {
                throw new IllegalStateException("the exchange data directory " + dataDir.toAbsolutePath()
                        + " was written with " + recorded + " shard(s) and exchange.shards is " + shards
                        + ": symbols would recover onto other shards. Keep exchange.shards at " + recorded
                        + " or start from an empty data_dir");
            }
            if (!Files.exists(file)) {
                Files.writeString(file, shards + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + dataDir.resolve(FILE), e);
        }
    }
}
