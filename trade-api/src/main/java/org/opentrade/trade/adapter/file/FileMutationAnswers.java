package org.opentrade.trade.adapter.file;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.trade.port.MutationAnswers;

/**
 * {@link MutationAnswers} in a text file of the data directory, one {@link MutationAnswers.Answer#line} per
 * answer, appended on the store's own thread and handed to the OS at once (it survives a crash of the process;
 * not fsynced: a power cut may lose the last answers, whose retries then run again). {@link #load} keeps the
 * answers within the retention and the bounds and rewrites the file from them (atomically) when it held more;
 * while running, the file is rewritten the same way once it has grown to twice either bound.
 */
public final class FileMutationAnswers implements MutationAnswers {
    private static final Logger LOG = Logger.getLogger(FileMutationAnswers.class.getName());

    private final Path file;
    private final Bounds bounds;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "trade-mutation-answers");
        t.setDaemon(true);
        return t;
    });
    private BufferedWriter out; // the writer thread only (and load, before any record)
    private int lines;
    private long bytes;

    /** Keeps {@link Bounds#DEFAULT} at most. */
    public FileMutationAnswers(Path file) {
        this(file, Bounds.DEFAULT);
    }

    /** Keeps {@code bounds} at most (tests use small ones). */
    public FileMutationAnswers(Path file, Bounds bounds) {
        this.file = file;
        this.bounds = bounds;
    }

    @Override
    public synchronized List<Answer> load(long now) throws IOException {
        List<Answer> kept = read(now);
        if (kept.size() < lines) {
            rewrite(kept);
        }
        return kept;
    }

    /**
     * The answers to keep at {@code now}, read line by line: the file may hold twice the bounds before it is
     * rewritten, and only what is kept is held in memory (at most the bounds), never the whole file.
     */
    private List<Answer> read(long now) throws IOException {
        MutationAnswers.Newest newest = new MutationAnswers.Newest(now, bounds);
        lines = 0;
        bytes = 0;
        if (Files.exists(file)) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines++;
                    bytes += line.getBytes(StandardCharsets.UTF_8).length + 1L;
                    newest.add(Answer.parse(line));
                }
            }
        }
        return newest.answers();
    }

    private void rewrite(List<Answer> kept) throws IOException {
        closeWriter();
        StringBuilder sb = new StringBuilder();
        for (Answer a : kept) {
            sb.append(a.line()).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] content = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, content, () -> { });
        lines = kept.size();
        bytes = content.length;
    }

    @Override
    public void record(Answer answer) {
        String line = answer.line() + "\n";
        writer.execute(() -> {
            synchronized (this) {
                try {
                    if (out == null) {
                        Files.createDirectories(file.toAbsolutePath().getParent());
                        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                                StandardOpenOption.APPEND);
                    }
                    out.write(line);
                    out.flush();
                    bytes += answer.bytes();
                    if (++lines >= 2 * bounds.maxKept() || bytes >= 2 * bounds.maxBytes()) {
                        rewrite(read(answer.at()));
                    }
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "mutation answers " + file + ": could not record an answer (a retry of that"
                            + " request after a restart runs again)", e);
                    closeWriter();
                }
            }
        });
    }

    private void closeWriter() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing " + file, e);
            }
            out = null;
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warning("mutation answers " + file + ": the last answers were not written within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closeWriter();
        }
    }
}
