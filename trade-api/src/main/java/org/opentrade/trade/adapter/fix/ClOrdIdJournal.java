package org.opentrade.trade.adapter.fix;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opentrade.trade.adapter.redis.RedisFixSessions;

/**
 * The current ClOrdID of each open order that a replace gave a new one, kept across restarts: the
 * ledger keeps only an order's first ClOrdID (its {@code client_order_id}), so without this a cancel
 * after a restart naming the replace's ClOrdID was an unknown order, and reports named the old one.
 *
 * <p>A text file of {@code order id TAB account TAB ClOrdID} lines (a ClOrdID of {@code -}: the order
 * closed), appended on the given I/O executor (never the trade context), written to the OS at once
 * (survives a process crash; not fsynced: losing the last lines to a power cut only makes those
 * orders answer to their first ClOrdID and OrderID(37) again). {@link #load} reads it at start and
 * keeps the open orders only; the file is rewritten from the live entries whenever it has grown past
 * four times their number (at least 10 000 lines), so it stays proportional to the open orders.
 *
 * <p>With trade-api's Redis store ({@link #inRedis}) the entries are a hash in Redis instead
 * ({@link RedisFixSessions#replacedClOrdIds}), written on the same executor, so a process of the instance on
 * another host has them too.
 */
final class ClOrdIdJournal implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClOrdIdJournal.class.getName());
    private static final int MIN_COMPACT_LINES = 10_000;

    private final Path file;
    private final Executor io;
    /** order id → {account, current ClOrdID}; written on the I/O executor (and by load), read anywhere. */
    private final Map<String, String[]> live = new ConcurrentHashMap<>();
    private BufferedWriter out; // I/O executor only (and load, before any append)
    private int lines;
    /** Where the entries are kept instead of the file; null: the file. Set before {@link #load}. */
    private volatile RedisFixSessions redis;

    ClOrdIdJournal(Path file, Executor io) {
        this.file = file;
        this.io = io;
    }

    /** Keeps the entries in Redis from now on (call before {@link #load}). */
    void inRedis(RedisFixSessions sessions) {
        this.redis = sessions;
    }

    /** Reads the file, or Redis (start-up, before any session; blocking). Then call {@link #retain}. */
    synchronized void load() throws IOException {
        loadFile();
        RedisFixSessions r = redis;
        if (r != null) {
            try {
                // A file of this data directory from before Redis kept the entries is carried over, then goes.
                live.forEach((orderId, e) -> r.replacedClOrdId(orderId, e[0], e[1]));
                Files.deleteIfExists(file);
                live.putAll(r.replacedClOrdIds());
            } catch (RuntimeException e) {
                throw new IOException("FIX ClOrdID journal: " + e.getMessage(), e);
            }
        }
    }

    private void loadFile() throws IOException {
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                if (f.length != 3 || f[0].isEmpty()) {
                    continue; // a torn last line after a crash
                }
                if ("-".equals(f[2])) {
                    live.remove(f[0]);
                } else {
                    live.put(f[0], new String[] {f[1], f[2]});
                }
            }
        }
    }

    /**
     * Forgets the orders {@code open} (account, order id) refuses and rewrites the file on the I/O
     * executor. Call on the context that may read the ledger, once, after {@link #load}.
     */
    void retain(BiPredicate<String, String> open) {
        java.util.List<String> closed = new java.util.ArrayList<>();
        live.entrySet().removeIf(e -> !open.test(e.getValue()[0], e.getKey()) && closed.add(e.getKey()));
        RedisFixSessions r = redis;
        submit(() -> {
            if (r != null) {
                writeToRedis(() -> r.closedOrders(closed));
                return;
            }
            synchronized (this) {
                try {
                    rewrite();
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "FIX ClOrdID journal " + file + ": could not compact", e);
                }
            }
        });
    }

    /** The order's current ClOrdID if a replace gave it one, else null. Any thread. */
    String current(String orderId) {
        String[] e = live.get(orderId);
        return e == null ? null : e[1];
    }

    /** A replace made {@code clOrdId} the order's current ClOrdID. Any thread; does not block. */
    void replaced(String account, String orderId, String clOrdId) {
        submit(() -> {
            live.put(orderId, new String[] {account, clOrdId});
            RedisFixSessions r = redis;
            if (r != null) {
                writeToRedis(() -> r.replacedClOrdId(orderId, account, clOrdId));
            } else {
                append(orderId + "\t" + account + "\t" + clOrdId);
            }
        });
    }

    /** The order is no longer open. Any thread; does not block. */
    void closed(String orderId) {
        submit(() -> {
            if (live.remove(orderId) != null) {
                RedisFixSessions r = redis;
                if (r != null) {
                    writeToRedis(() -> r.closedOrders(java.util.List.of(orderId)));
                } else {
                    append(orderId + "\t\t-");
                }
            }
        });
    }

    /** A write to Redis; a failure is logged as a failed file write is (first ClOrdIDs and OrderIDs still work). */
    private void writeToRedis(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "FIX ClOrdID journal in redis: write failed; replaced ClOrdIDs may not survive a"
                    + " restart (first ClOrdIDs and OrderIDs still work)", e);
        }
    }

    private void submit(Runnable task) {
        try {
            io.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            LOG.fine("FIX acceptor stopping; ClOrdID journal entry not written");
        }
    }

    private synchronized void append(String line) {
        try {
            if (out == null) {
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            out.write(line);
            out.write('\n');
            out.flush();
            if (++lines > Math.max(MIN_COMPACT_LINES, 4 * live.size())) {
                rewrite();
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.WARNING, "FIX ClOrdID journal " + file + ": write failed; replaced ClOrdIDs may not"
                    + " survive a restart (first ClOrdIDs and OrderIDs still work)", e);
        }
    }

    /** The live entries to a new file, atomically replacing the old. */
    private void rewrite() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        StringBuilder sb = new StringBuilder();
        live.forEach((orderId, e) -> sb.append(orderId).append('\t').append(e[0]).append('\t').append(e[1]).append('\n'));
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lines = live.size();
    }

    /** Lines in the file now (tests: compaction). */
    synchronized int lines() {
        return lines;
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) {
                out.close();
                out = null;
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the FIX ClOrdID journal", e);
        }
    }
}
