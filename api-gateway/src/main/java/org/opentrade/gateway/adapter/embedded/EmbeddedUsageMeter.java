package org.opentrade.gateway.adapter.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.opentrade.gateway.domain.UsageCounters;
import org.opentrade.gateway.domain.UsageRow;
import org.opentrade.gateway.domain.UsageSample;
import org.opentrade.gateway.port.UsageMeter;

/**
 * The all-in-one usage meter: counters in memory, each flush appended as JSON lines to
 * {@code <dir>/usage.jsonl} by one writer thread. Opening compacts the log: rows are summed per
 * key × route × minute and rows older than the retention are dropped.
 */
public final class EmbeddedUsageMeter implements UsageMeter {
    private record RowKey(String keyId, String route, long minute) {
    }

    private static final Comparator<UsageRow> ORDER = Comparator.comparingLong(UsageRow::epochMinute)
            .thenComparing(UsageRow::keyId).thenComparing(UsageRow::route);

    private final Path log;
    private final UsageCounters pending = new UsageCounters();
    private final Map<RowKey, UsageRow> stored = new ConcurrentHashMap<>();
    private final ExecutorService writer;

    private EmbeddedUsageMeter(Path log) {
        this.log = log;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "usage-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens (or creates) the meter in {@code dir}, keeping rows of the last {@code retentionMinutes}.
     * Blocks while it reads and compacts the log.
     */
    public static EmbeddedUsageMeter open(Path dir, long retentionMinutes) throws IOException {
        PrivateFiles.privateDirectory(dir);
        EmbeddedUsageMeter m = new EmbeddedUsageMeter(dir.resolve("usage.jsonl"));
        long oldest = System.currentTimeMillis() / 60_000 - retentionMinutes;
        if (Files.exists(m.log)) {
            for (String line : Files.readAllLines(m.log, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                UsageRow r;
                try {
                    r = JsonFiles.MAPPER.readValue(line, UsageRow.class);
                } catch (IOException e) {
                    continue; // a torn last line after a crash: that flush is lost, the rest is kept
                }
                if (r.epochMinute() >= oldest) {
                    m.stored.merge(new RowKey(r.keyId(), r.route(), r.epochMinute()), r, UsageCounters::sum);
                }
            }
            m.rewrite();
        }
        return m;
    }

    @Override
    public void record(UsageSample sample) {
        pending.add(sample);
    }

    @Override
    public CompletionStage<List<UsageRow>> usage(List<String> keyIds, long fromMinute, long toMinute) {
        Set<String> wanted = new HashSet<>(keyIds);
        Map<RowKey, UsageRow> rows = new HashMap<>();
        for (UsageRow r : stored.values()) {
            collect(rows, r, wanted, fromMinute, toMinute);
        }
        for (UsageRow r : pending.peek(r -> true)) {
            collect(rows, r, wanted, fromMinute, toMinute);
        }
        List<UsageRow> out = new ArrayList<>(rows.values());
        out.sort(ORDER);
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<Void> flush() {
        return CompletableFuture.runAsync(() -> {
            List<UsageRow> rows = pending.drain();
            if (rows.isEmpty()) {
                return;
            }
            try {
                append(rows);
            } catch (IOException e) {
                rows.forEach(pending::add);
                throw new UncheckedIOException("cannot append to " + log, e);
            }
            for (UsageRow r : rows) {
                stored.merge(new RowKey(r.keyId(), r.route(), r.epochMinute()), r, UsageCounters::sum);
            }
        }, writer);
    }

    @Override
    public CompletionStage<Void> close() {
        CompletionStage<Void> done = flush();
        writer.shutdown();
        return done;
    }

    private static void collect(Map<RowKey, UsageRow> rows, UsageRow r, Set<String> keys, long from, long to) {
        if (keys.contains(r.keyId()) && r.epochMinute() >= from && r.epochMinute() < to) {
            rows.merge(new RowKey(r.keyId(), r.route(), r.epochMinute()), r, UsageCounters::sum);
        }
    }

    /**
     * Appends one flush as one write, forced to disk. A failed append is cut back off the file, so
     * the retry that follows does not count its rows twice after a restart; only if the cut fails
     * too may a partly written flush be counted again.
     */
    private void append(List<UsageRow> rows) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(rows.size() * 160);
        for (UsageRow r : rows) {
            bytes.write(JsonFiles.MAPPER.writeValueAsBytes(r));
            bytes.write('\n');
        }
        try (FileChannel ch = PrivateFiles.append(log)) {
            long start = ch.size();
            try {
                ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray());
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
            } catch (IOException e) {
                try {
                    ch.truncate(start);
                    ch.force(false);
                } catch (IOException cut) {
                    e.addSuppressed(cut);
                }
                throw e;
            }
        }
    }

    /** Replaces the log with the compacted rows: private, forced before and after the rename. */
    private void rewrite() throws IOException {
        PrivateFiles.replace(log, out -> {
            for (UsageRow r : stored.values()) {
                out.write(JsonFiles.MAPPER.writeValueAsBytes(r));
                out.write('\n');
            }
        });
    }
}
