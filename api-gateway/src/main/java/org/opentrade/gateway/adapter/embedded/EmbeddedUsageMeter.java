package org.opentrade.gateway.adapter.embedded;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.opentrade.gateway.domain.UsageCounters;
import org.opentrade.gateway.domain.UsagePage;
import org.opentrade.gateway.domain.UsageRow;
import org.opentrade.gateway.domain.UsageSample;
import org.opentrade.gateway.port.UsageMeter;

/**
 * The all-in-one usage meter: counters in memory, each flush appended as JSON lines to
 * {@code <dir>/usage.jsonl} by one writer thread. Rows are held per key, by minute, so a query reads
 * only its keys' minutes in its window; it runs on its own thread, never on the caller's (an event
 * loop). Rows older than the retention are dropped at opening and by the flushes while running, and
 * the log is compacted (summed per key × route × minute, old rows dropped) at opening and once per
 * {@link #COMPACT_EVERY_MINUTES}, so memory and disk hold about the retention's worth of rows.
 */
public final class EmbeddedUsageMeter implements UsageMeter {
    /** Minute, then route: the order of one key's rows. */
    private record Slot(long minute, String route) implements Comparable<Slot> {
        @Override
        public int compareTo(Slot o) {
            int c = Long.compare(minute, o.minute);
            return c != 0 ? c : route.compareTo(o.route);
        }
    }

    static final long COMPACT_EVERY_MINUTES = 60;
    private static final Comparator<UsageRow> ORDER = Comparator.comparingLong(UsageRow::epochMinute)
            .thenComparing(UsageRow::keyId).thenComparing(UsageRow::route);

    private final Path log;
    private final long retentionMinutes;
    private final LongSupplier clock;
    private final UsageCounters pending = new UsageCounters();
    private final Map<String, NavigableMap<Slot, UsageRow>> stored = new ConcurrentHashMap<>();
    private final ExecutorService writer;
    private final ExecutorService reader;
    private long prunedAtMinute; // writer thread
    private long compactedAtMinute; // writer thread

    private EmbeddedUsageMeter(Path log, long retentionMinutes, LongSupplier clock) {
        this.log = log;
        this.retentionMinutes = retentionMinutes;
        this.clock = clock;
        this.writer = daemon("usage-writer");
        this.reader = daemon("usage-reader");
    }

    private static ExecutorService daemon(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens (or creates) the meter in {@code dir}, keeping rows of the last {@code retentionMinutes}.
     * Blocks while it reads and compacts the log.
     */
    public static EmbeddedUsageMeter open(Path dir, long retentionMinutes) throws IOException {
        return open(dir, retentionMinutes, System::currentTimeMillis);
    }

    /** As {@link #open(Path, long)}, reading the time (epoch ms) from {@code clock}. */
    public static EmbeddedUsageMeter open(Path dir, long retentionMinutes, LongSupplier clock) throws IOException {
        PrivateFiles.privateDirectory(dir);
        EmbeddedUsageMeter m = new EmbeddedUsageMeter(dir.resolve("usage.jsonl"), retentionMinutes, clock);
        long oldest = m.oldestKeptMinute();
        if (Files.exists(m.log)) {
            try (BufferedReader in = Files.newBufferedReader(m.log, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
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
                        m.store(r);
                    }
                }
            }
            m.rewrite();
        }
        m.compactedAtMinute = m.nowMinute();
        m.prunedAtMinute = m.compactedAtMinute;
        return m;
    }

    @Override
    public void record(UsageSample sample) {
        pending.add(sample);
    }

    /**
     * Read on the meter's reader thread: touches only the asked keys' rows in the window, and of each key only
     * whole minutes until it has more than {@code maxRows} rows (no later minute of it can be on the page).
     */
    @Override
    public CompletionStage<UsagePage> usage(List<String> keyIds, long fromMinute, long toMinute, int maxRows) {
        Set<String> wanted = new HashSet<>(keyIds);
        return CompletableFuture.supplyAsync(() -> {
            Map<String, Map<Slot, UsageRow>> rows = new java.util.HashMap<>();
            Slot from = new Slot(fromMinute, "");
            Slot to = new Slot(toMinute, "");
            long firstUnread = UsagePage.NO_MORE;
            for (String keyId : wanted) {
                NavigableMap<Slot, UsageRow> own = stored.get(keyId);
                if (own == null) {
                    continue;
                }
                long taken = 0;
                long lastMinute = Long.MIN_VALUE;
                for (Map.Entry<Slot, UsageRow> e : own.subMap(from, true, to, false).entrySet()) {
                    if (taken > maxRows && e.getKey().minute() != lastMinute) {
                        // This key alone fills the page before this minute: the page ends before it.
                        long unread = e.getKey().minute();
                        firstUnread = firstUnread == UsagePage.NO_MORE ? unread : Math.min(firstUnread, unread);
                        break;
                    }
                    merge(rows, e.getValue());
                    taken++;
                    lastMinute = e.getKey().minute();
                }
            }
            for (UsageRow r : pending.peek(r -> wanted.contains(r.keyId()) && r.epochMinute() >= fromMinute
                    && r.epochMinute() < toMinute)) {
                merge(rows, r);
            }
            List<UsageRow> out = new ArrayList<>();
            rows.values().forEach(m -> out.addAll(m.values()));
            out.sort(ORDER);
            // A key cut short has more than maxRows rows before its first minute not read, so the page ends before
            // that minute (the first minute, always kept, is before it): every minute the cut keeps was read whole.
            return UsagePage.cut(out, maxRows, firstUnread);
        }, reader);
    }

    @Override
    public CompletionStage<Void> flush() {
        return CompletableFuture.runAsync(() -> {
            List<UsageRow> rows = pending.drain();
            if (!rows.isEmpty()) {
                try {
                    append(rows);
                } catch (IOException e) {
                    rows.forEach(pending::add);
                    throw new UncheckedIOException("cannot append to " + log, e);
                }
                rows.forEach(this::store);
            }
            maintain();
        }, writer);
    }

    @Override
    public CompletionStage<Void> close() {
        CompletionStage<Void> done = flush();
        writer.shutdown();
        reader.shutdown();
        return done;
    }

    /** Rows held in memory (for tests and metrics). */
    long storedRows() {
        return stored.values().stream().mapToLong(Map::size).sum();
    }

    private long nowMinute() {
        return clock.getAsLong() / 60_000;
    }

    private long oldestKeptMinute() {
        return nowMinute() - retentionMinutes;
    }

    private void store(UsageRow r) {
        stored.computeIfAbsent(r.keyId(), k -> new ConcurrentSkipListMap<>())
                .merge(new Slot(r.epochMinute(), r.route()), r, UsageCounters::sum);
    }

    private static void merge(Map<String, Map<Slot, UsageRow>> rows, UsageRow r) {
        rows.computeIfAbsent(r.keyId(), k -> new java.util.HashMap<>())
                .merge(new Slot(r.epochMinute(), r.route()), r, UsageCounters::sum);
    }

    /**
     * Writer thread: once a minute drops rows past the retention (each key's oldest minutes, cut off
     * its sorted map); once per {@link #COMPACT_EVERY_MINUTES} compacts the log to the rows kept.
     */
    private void maintain() {
        long now = nowMinute();
        if (now != prunedAtMinute) {
            prunedAtMinute = now;
            Slot oldest = new Slot(oldestKeptMinute(), "");
            for (var it = stored.entrySet().iterator(); it.hasNext(); ) {
                NavigableMap<Slot, UsageRow> own = it.next().getValue();
                own.headMap(oldest, false).clear();
                if (own.isEmpty()) {
                    it.remove(); // a racing store() re-creates it: nothing is lost
                }
            }
        }
        if (now - compactedAtMinute >= COMPACT_EVERY_MINUTES) {
            try {
                rewrite();
                compactedAtMinute = now;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot compact " + log + "; the rows are kept, retried later", e);
            }
        }
    }

    /**
     * Appends one flush as one write, forced to disk. A failed append is cut back off the file, so
     * the retry that follows does not count its rows twice after a restart; only if the cut fails
     * too may a partly written flush be counted again.
     */
    private void append(List<UsageRow> rows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(rows.size() * 160);
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

    /** Replaces the log with the rows held: private, forced before and after the rename. */
    private void rewrite() throws IOException {
        PrivateFiles.replace(log, out -> {
            for (NavigableMap<Slot, UsageRow> own : stored.values()) {
                for (UsageRow r : own.values()) {
                    out.write(JsonFiles.MAPPER.writeValueAsBytes(r));
                    out.write('\n');
                }
            }
        });
    }
}
