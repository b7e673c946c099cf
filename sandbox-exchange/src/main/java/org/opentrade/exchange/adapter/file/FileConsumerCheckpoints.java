package org.opentrade.exchange.adapter.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrade.exchange.port.ConsumerCheckpoints;

/**
 * Durable consumers' checkpoints as a small text file {@code consumers.txt} ({@code name seq} per
 * line), replaced atomically (temp file, fsync, rename, directory fsync). Unreadable lines are
 * skipped: losing a checkpoint only makes the shard keep more history, never less.
 */
public final class FileConsumerCheckpoints implements ConsumerCheckpoints {
    private final Path file;

    public FileConsumerCheckpoints(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        this.file = dir.resolve("consumers.txt");
    }

    @Override
    public Map<String, Long> load() {
        Map<String, Long> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.trim().split(" ");
                if (f.length == 2 && f[1].matches("\\d{1,18}")) {
                    m.put(f[0], Long.parseLong(f[1]));
                }
            }
        } catch (NoSuchFileException none) {
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return m;
    }

    @Override
    public void save(Map<String, Long> checkpoints) {
        StringBuilder sb = new StringBuilder();
        checkpoints.forEach((name, seq) -> sb.append(name).append(' ').append(seq).append('\n'));
        try {
            DurableFiles.replaceAtomically(file.resolveSibling("consumers.tmp"), file,
                    ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
