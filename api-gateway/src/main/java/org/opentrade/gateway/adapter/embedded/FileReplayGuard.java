package org.opentrade.gateway.adapter.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.gateway.port.ReplayGuard;

/**
 * The embedded gateway's replay guard: the signed requests seen within their window, kept in memory and in
 * {@code replay-guard.log} under the data directory, so a restart (a few seconds, well inside a signature's
 * window of 30 s plus skew) does not accept a request it already accepted. A request is answered only once its
 * line is written: one {@code write} on the guard's own thread, never on an event loop, without fsync (a
 * killed process's writes are in the kernel's cache and are read at the next start; a machine that loses power
 * takes longer than the window to come back). At start the lines still within their window are loaded and the
 * file is rewritten with them alone; while running it is rewritten the same way once it has {@code compactAt}
 * lines. One line is {@code <expiry ms> <id>} (the id: the key and a hash of the signed message).
 */
public final class FileReplayGuard implements ReplayGuard {
    private static final Logger LOG = Logger.getLogger(FileReplayGuard.class.getName());
    static final String FILE = "replay-guard.log";
    private static final int DEFAULT_COMPACT_AT = 100_000;

    private final Path file;
    private final LongSupplier nowMillis;
    private final int compactAt;
    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "opentrade-replay-guard");
        t.setDaemon(true);
        return t;
    });
    private FileChannel out;
    private long lines;
    private long nextRewriteAt;

    private FileReplayGuard(Path dir, LongSupplier nowMillis, int compactAt) throws IOException {
        this.file = dir.resolve(FILE);
        this.nowMillis = nowMillis;
        this.compactAt = compactAt;
        load();
        rewrite();
    }

    /** Opens (or creates) the guard's file under {@code dir}; blocks (start-up only). */
    public static FileReplayGuard open(Path dir) throws IOException {
        return new FileReplayGuard(dir, System::currentTimeMillis, DEFAULT_COMPACT_AT);
    }

    static FileReplayGuard open(Path dir, LongSupplier nowMillis, int compactAt) throws IOException {
        return new FileReplayGuard(dir, nowMillis, compactAt);
    }

    @Override
    public CompletionStage<Boolean> firstUse(String signature, long ttlMillis) {
        long now = nowMillis.getAsLong();
        long until = now + ttlMillis;
        boolean[] first = new boolean[1];
        expiries.compute(signature, (k, seen) -> {
            if (seen == null || seen <= now) {
                first[0] = true;
                return until;
            }
            return seen;
        });
        if (!first[0]) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    append(until + " " + signature + "\n");
                    answer.complete(true);
                } catch (IOException | RuntimeException e) {
                    // Unrecorded, a restart could accept it again: refuse it now (the store's failure, not the caller's).
                    expiries.remove(signature, until);
                    answer.completeExceptionally(new UncheckedIOException("cannot record a signed request in " + file,
                            e instanceof IOException io ? io : new IOException(e)));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            expiries.remove(signature, until);
            answer.completeExceptionally(new IllegalStateException("the replay guard is closed"));
        }
        return answer;
    }

    @Override
    public CompletionStage<Boolean> recorded(String id) {
        Long until = expiries.get(id);
        return CompletableFuture.completedFuture(until != null && until > nowMillis.getAsLong());
    }

    private void append(String line) throws IOException {
        if (out == null || !out.isOpen()) {
            out = PrivateFiles.append(file); // a failed rewrite could not reopen it: once more, here
        }
        ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            out.write(b);
        }
        // Rewritten once the file holds twice what is live (at least compactAt lines): a rewrite's cost is then
        // spread over as many appends, however many signatures are within their window at once.
        if (++lines >= nextRewriteAt) {
            try {
                rewrite();
            } catch (IOException e) {
                // The line is written, so this request is recorded; the file stays as it was and is compacted later.
                nextRewriteAt = lines + compactAt;
                LOG.log(Level.WARNING, "could not compact " + file + "; appending on", e);
            }
        }
    }

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        long now = nowMillis.getAsLong();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int space = line.indexOf(' ');
                if (space <= 0 || space == line.length() - 1) {
                    continue; // a line torn by a crash
                }
                try {
                    long until = Long.parseLong(line, 0, space, 10);
                    if (until > now) {
                        expiries.merge(line.substring(space + 1), until, Math::max);
                    }
                } catch (NumberFormatException torn) {
                    // a line torn by a crash: skipped
                }
            }
        }
    }

    /** Replaces the file with the entries still within their window; the writer's thread, or start-up. */
    private void rewrite() throws IOException {
        long now = nowMillis.getAsLong();
        expiries.values().removeIf(until -> until <= now);
        try {
            PrivateFiles.replace(file, o -> {
                for (Map.Entry<String, Long> e : expiries.entrySet()) {
                    o.write((e.getValue() + " " + e.getKey() + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            });
            lines = expiries.size();
            nextRewriteAt = Math.max(compactAt, 2L * lines);
        } finally {
            // The old file, if the rewrite failed (it still holds every line), else the new one: appends go on.
            if (out != null) {
                out.close();
            }
            try {
                out = PrivateFiles.append(file);
            } catch (IOException e) {
                out = null; // the next append tries again
                LOG.log(Level.WARNING, "cannot open " + file + " for appending", e);
            }
        }
    }

    /** Entries held in memory (tests). */
    int size() {
        return expiries.size();
    }

    @Override
    public CompletionStage<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    out.close();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "closing " + file, e);
                }
                done.complete(null);
            });
        } catch (java.util.concurrent.RejectedExecutionException already) {
            done.complete(null);
        }
        writer.shutdown();
        return done;
    }
}
