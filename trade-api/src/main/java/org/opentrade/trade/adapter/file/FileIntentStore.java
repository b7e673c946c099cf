package org.opentrade.trade.adapter.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.port.IntentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link IntentStore} in one append-only file {@code <dir>/intents.log}: a header
 * {@code [int magic "OTIL"][short version 1][short 0]} then records
 * {@code [int length][int crc32c(payload)][payload = long index, IntentCodec bytes]}.
 *
 * <p>Group commit: {@code append} encodes the intent on the caller's thread, assigns the index and
 * queues it (bounded: a full queue makes {@code append} return false). A dedicated writer thread
 * takes what queued while it wrote the last batch (up to {@code maxBatch}), writes it, fsyncs once
 * (policy FSYNC_BATCH), then runs the batch's callbacks in index order on itself.
 *
 * <p>On open the whole log is checked. A bad last record (torn by a crash mid-write: short, bad
 * length, bad checksum, zero-filled) is cut off with a WARN log line — it was never acknowledged,
 * since callbacks run only after the batch's fsync. A bad record with an intact record after it is
 * damage, not a torn write: opening fails with {@link CorruptLogException} rather than drop
 * acknowledged intents.
 *
 * <p>An I/O error while writing stops the store (logged once): later appends throw, and callbacks
 * of the failed and queued batches never run (their status is unknown to the caller; after a
 * restart the log says what was kept).
 *
 * <p><b>Pruning.</b> {@link #prune} records how far the log may go in {@code <dir>/intents.prune} (a
 * small file written atomically); the next open drops those intents by copying the rest into
 * {@code intents.log.compact} under a version-2 header {@code [magic][short 2][short 0][long first
 * index]}, fsyncing it and renaming it over the log (a crash leaves the old log or the new one; a stray
 * compact file is deleted). A log whose records are damaged is not compacted (opening reports the damage
 * as before).
 *
 * <p><b>Compaction while running.</b> A prune whose intents take at least as many bytes as the rest of the
 * log, and at least {@link #ONLINE_COMPACT_MIN_BYTES}, also compacts the log while trade-api runs, so a
 * long-running instance does not grow until its next start. The prune's caller (a worker thread) copies the
 * durable records after the cut into the compact file and fsyncs it; the writer, between two batches, copies
 * the records written meanwhile (all durable: each batch is fsynced before its callbacks), fsyncs, renames the
 * file over the log and appends to it from then on. Appends are never held back by the first copy, only by
 * the writer's (the records of the last moments). Any failure before the rename leaves the old log in use and
 * deletes the copy; a crash at any point leaves the old log or the new one, both whole.
 */
public final class FileIntentStore implements IntentStore {
    static final String LOG_FILE = "intents.log";
    static final int MAGIC = 0x4F54494C; // "OTIL"
    static final short VERSION = 1;
    static final int HEADER_BYTES = 8;
    /** A log pruned at an open: the header carries its first index. */
    static final short VERSION_PRUNED = 2;
    static final int PRUNED_HEADER_BYTES = 16;
    static final String PRUNE_FILE = "intents.prune";
    static final String COMPACT_SUFFIX = ".compact";
    /** Locked for the store's life: a second process (or store) on the same directory is refused. */
    static final String LOCK_FILE = "intents.lock";
    private static final Logger LOG = LoggerFactory.getLogger(FileIntentStore.class);
    private static final Pending STOP = new Pending(0, null, null);
    /** Bytes written per write call at most (a big batch is written in pieces, then fsynced once). */
    private static final int WRITE_BUFFER = 1 << 20;
    /** A prune compacts the log while running only when it frees at least this much (and no less than it keeps). */
    static final long ONLINE_COMPACT_MIN_BYTES = 64L << 20;
    /** Wakes the writer for a compaction; never written. */
    private static final Pending WAKE = new Pending(0, null, null);

    /**
     * A compaction the prune's caller prepared: {@code out} holds the new header and the durable records after
     * the cut up to {@code copiedThrough} (an offset of the current log); the writer adds the rest.
     */
    private record Compaction(Path path, FileChannel out, long copiedThrough, long firstIndex, long cut) {
    }

    private record Pending(long index, byte[] encoded, LongConsumer durable) {
    }

    private final FileIntentStoreOptions options;
    private final Path file;
    /** The directory's lock (released by the OS when the process dies, kill -9 included). */
    private final FileChannel lockChannel;
    /** Replaced by a compaction: in the constructor (before the writer starts), then only by the writer. */
    private volatile FileChannel channel;
    /**
     * Where records start, and the index of the first one (after a prune, not 1). Changed with the log file
     * under {@link #layoutLock}, so a reader sees the header of the file it opens.
     */
    private volatile long headerBytes = HEADER_BYTES;
    private volatile long firstIndex = 1;
    private final Object layoutLock = new Object();
    /** Prepared by {@link #prune}, finished (or dropped) by the writer. */
    private volatile Compaction pendingCompaction;
    /** True from a compaction's preparation to its end: one at a time. */
    private final java.util.concurrent.atomic.AtomicBoolean compacting = new java.util.concurrent.atomic.AtomicBoolean();
    private final long onlineCompactMinBytes;
    private final AtomicLong onlineCompactions = new AtomicLong();
    /** The index the log may be pruned through, as last recorded; guarded by pruneLock. */
    private long pruneRequested;
    private final Object pruneLock = new Object();
    private final ExchangeIdReservations exchangeIds;
    private final ArrayBlockingQueue<Pending> queue;
    private final Runnable beforeSync;
    private final Thread writer;
    private final Object appendLock = new Object();
    /** Guarded by appendLock. */
    private long lastIndex;
    /** Guarded by appendLock. */
    private boolean closed;
    /** File size up to the last durable record: what readers may read. */
    private volatile long durableBytes;
    private volatile Throwable failure;
    private volatile java.util.function.Consumer<Throwable> failureHandler = err -> {
    };
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong fsyncs = new AtomicLong();

    /** Opens (creating if needed) the store described by {@code options} and starts its writer. */
    public FileIntentStore(FileIntentStoreOptions options) {
        this(options, () -> { });
    }

    /** @param beforeSync test hook, run on the writer thread after a batch is written, before its fsync */
    FileIntentStore(FileIntentStoreOptions options, Runnable beforeSync) {
        this(options, beforeSync, ONLINE_COMPACT_MIN_BYTES);
    }

    /** @param onlineCompactMinBytes the least a prune must free to compact while running (tests: small) */
    FileIntentStore(FileIntentStoreOptions options, Runnable beforeSync, long onlineCompactMinBytes) {
        this.options = options;
        this.beforeSync = beforeSync;
        this.onlineCompactMinBytes = onlineCompactMinBytes;
        this.file = options.dir().resolve(LOG_FILE);
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        try {
            Files.createDirectories(options.dir());
            this.lockChannel = lockDirectory(options.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock intent log directory " + options.dir(), e);
        }
        try {
            // Checked first: a directory of another instance is refused before the log is opened.
            this.exchangeIds = new ExchangeIdReservations(options.dir(), options.instanceId(),
                    options.exchangeIdBlock());
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                recover();
                compactIfPruned();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            pruneRequested = firstIndex - 1;
        } catch (IOException | RuntimeException e) {
            closeQuietly(lockChannel);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot open intent log " + file, io);
            }
            throw (RuntimeException) e;
        }
        this.writer = new Thread(this::runWriter, "intent-log-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Locks {@link #LOCK_FILE} of {@code dir} for this store's life and writes this process's pid in it: two
     * processes appending to one log would corrupt each other's state. Refused when another process (or
     * another store of this one) holds it, naming that process.
     */
    private static FileChannel lockDirectory(Path dir) throws IOException {
        Path path = dir.resolve(LOCK_FILE);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder;
            try {
                holder = Files.readString(path, StandardCharsets.US_ASCII).trim();
            } catch (IOException e) {
                holder = "?";
            }
            ch.close();
            throw new IllegalStateException("intent log directory " + dir + " is in use by another trade-api process"
                    + " (pid " + (holder.isEmpty() ? "?" : holder) + "): one process per data directory");
        }
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(pid), 0);
        return ch;
    }

    /** Checks the header and every record, cuts a torn tail, sets lastIndex and durableBytes. */
    private void recover() throws IOException {
        long size = channel.size();
        if (size < HEADER_BYTES) {
            // A crash while creating the file: no record can have been acknowledged yet.
            if (size > 0) {
                LOG.warn("intent log {}: rewriting a header cut short at {} bytes", file, size);
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putShort(VERSION).putShort((short) 0);
            header.flip();
            channel.truncate(0);
            channel.write(header, 0);
            channel.force(true);
            AtomicFiles.fsyncDirectory(options.dir().toAbsolutePath());
            durableBytes = HEADER_BYTES;
            return;
        }
        ByteBuffer header = ByteBuffer.allocate(PRUNED_HEADER_BYTES);
        channel.read(header, 0);
        if (header.getInt(0) != MAGIC) {
            throw new CorruptLogException(file + " is not an intent log (bad magic number)");
        }
        short version = header.getShort(4);
        if (version == VERSION_PRUNED) {
            if (size < PRUNED_HEADER_BYTES) {
                throw new CorruptLogException(file + " has a pruned log's header cut short at " + size + " bytes");
            }
            headerBytes = PRUNED_HEADER_BYTES;
            firstIndex = header.getLong(8);
            if (firstIndex < 1) {
                throw new CorruptLogException(file + " names first intent " + firstIndex);
            }
        } else if (version != VERSION) {
            throw new CorruptLogException(file + " has format version " + version
                    + ", this trade-api reads versions " + VERSION + " and " + VERSION_PRUNED);
        }
        RecordScanner scanner = new RecordScanner(channel, headerBytes, size, options.maxRecordBytes());
        long expected = firstIndex;
        while (true) {
            RecordScanner.Outcome outcome = scanner.next();
            if (outcome == RecordScanner.Outcome.END) {
                break;
            }
            String problem = outcome == RecordScanner.Outcome.BAD ? scanner.badReason()
                    : checkRecord(scanner, expected);
            if (problem != null) {
                long at = scanner.recordStart();
                long intact = RecordScanner.findIntactRecordAfter(channel, at, size, options.maxRecordBytes());
                if (intact >= 0) {
                    throw new CorruptLogException("intent log " + file + " is damaged at byte " + at + " (" + problem
                            + ", intent " + expected + ") and has intact records after it (from byte " + intact
                            + "): refusing to drop acknowledged intents; restore the file from a copy, or cut it at"
                            + " byte " + at + " knowingly");
                }
                LOG.warn("intent log {}: cut a torn tail of {} bytes at byte {} ({}, after intent {})",
                        file, size - at, at, problem, expected - 1);
                channel.truncate(at);
                channel.force(true);
                break;
            }
            expected++;
        }
        lastIndex = expected - 1;
        durableBytes = scanner.recordStart();
    }

    /**
     * After {@link #recover}: if {@link #PRUNE_FILE} allows dropping intents this log still holds, writes the
     * rest to a new log with a version-2 header and renames it over this one. Deletes a compact file a crash
     * left. On the constructor's thread, before the writer starts.
     */
    private void compactIfPruned() throws IOException {
        Path compact = file.resolveSibling(LOG_FILE + COMPACT_SUFFIX);
        Files.deleteIfExists(compact);
        Path pruneFile = options.dir().resolve(PRUNE_FILE);
        if (!Files.exists(pruneFile)) {
            return;
        }
        long cut;
        try {
            cut = Math.min(Long.parseLong(Files.readString(pruneFile, StandardCharsets.US_ASCII).trim()), lastIndex);
        } catch (NumberFormatException e) {
            LOG.warn("intent log {}: ignoring an unreadable {}", file, pruneFile);
            return;
        }
        if (cut < firstIndex) {
            return; // nothing this log holds may go
        }
        long before = durableBytes;
        try (FileChannel out = FileChannel.open(compact, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(Math.max(WRITE_BUFFER, options.maxRecordBytes() + 16));
            buf.putInt(MAGIC).putShort(VERSION_PRUNED).putShort((short) 0).putLong(cut + 1);
            long at = 0;
            RecordScanner scanner = new RecordScanner(channel, headerBytes, durableBytes, options.maxRecordBytes());
            CRC32C crc = new CRC32C();
            while (scanner.next() == RecordScanner.Outcome.RECORD) { // recover() checked every record
                if (ByteBuffer.wrap(scanner.payload()).getLong(0) <= cut) {
                    continue;
                }
                int length = scanner.payloadLength();
                if (buf.remaining() < RecordScanner.RECORD_HEADER + length) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        at += out.write(buf, at);
                    }
                    buf.clear();
                }
                crc.reset();
                crc.update(scanner.payload(), 0, length);
                buf.putInt(length).putInt((int) crc.getValue()).put(scanner.payload(), 0, length);
            }
            buf.flip();
            while (buf.hasRemaining()) {
                at += out.write(buf, at);
            }
            out.force(true);
        }
        channel.close();
        Files.move(compact, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.fsyncDirectory(options.dir().toAbsolutePath());
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        headerBytes = PRUNED_HEADER_BYTES;
        firstIndex = cut + 1;
        durableBytes = channel.size();
        LOG.info("intent log {}: pruned intents up to {} ({} bytes, now {})", file, cut, before, durableBytes);
    }

    /**
     * Records that intents up to {@code throughIndex} may go: written to {@link #PRUNE_FILE} (atomically; it
     * blocks on disk, so call it off the event loop), dropped at the next open, or while running when that
     * frees enough (the class comment): then this call also copies the log's durable rest, which takes a while
     * for a large log. A failed write is logged and changes nothing.
     */
    @Override
    public void prune(long throughIndex) {
        synchronized (pruneLock) {
            if (throughIndex <= pruneRequested) {
                return;
            }
            try {
                AtomicFiles.write(options.dir().resolve(PRUNE_FILE),
                        Long.toString(throughIndex).getBytes(StandardCharsets.US_ASCII), () -> { });
                pruneRequested = throughIndex;
            } catch (IOException e) {
                LOG.warn("intent log {}: could not record pruning through {}: {}", file, throughIndex, e.toString());
                return;
            }
            prepareCompaction(throughIndex);
        }
    }

    /** Compactions done while running. */
    public long onlineCompactions() {
        return onlineCompactions.get();
    }

    /**
     * The first half of a compaction while running, on the prune's thread: when the intents through {@code cut}
     * take enough bytes, copies the durable records after them into the compact file and hands it to the writer.
     */
    private void prepareCompaction(long cut) {
        synchronized (appendLock) {
            if (closed || failure != null) {
                return;
            }
        }
        if (!compacting.compareAndSet(false, true)) {
            return;
        }
        Path path = file.resolveSibling(LOG_FILE + COMPACT_SUFFIX);
        boolean handedOver = false;
        FileChannel out = null;
        try {
            long limit;
            long start;
            synchronized (layoutLock) { // the header of the file opened below
                limit = durableBytes;
                start = headerBytes;
            }
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                RecordScanner scanner = new RecordScanner(in, start, limit, options.maxRecordBytes());
                long keptFrom = limit;
                long lastCut = -1;
                while (scanner.next() == RecordScanner.Outcome.RECORD) {
                    long index = ByteBuffer.wrap(scanner.payload()).getLong(0);
                    if (index > cut) {
                        keptFrom = scanner.recordStart();
                        break;
                    }
                    lastCut = index;
                }
                long freed = keptFrom - start;
                if (lastCut < 0 || freed < onlineCompactMinBytes || freed < limit - keptFrom) {
                    return; // not worth a copy yet: the next open, or a later prune, drops them
                }
                Files.deleteIfExists(path);
                out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                ByteBuffer header = ByteBuffer.allocate(PRUNED_HEADER_BYTES).putInt(MAGIC).putShort(VERSION_PRUNED)
                        .putShort((short) 0).putLong(lastCut + 1);
                header.flip();
                long at = 0;
                while (header.hasRemaining()) {
                    at += out.write(header, at);
                }
                copy(in, keptFrom, limit, out, at);
                out.force(true);
                pendingCompaction = new Compaction(path, out, limit, lastCut + 1, lastCut);
                handedOver = true;
            }
            if (!queue.offer(WAKE)) { // a full queue: the writer is busy and checks at its next batch anyway
                LOG.debug("intent log {}: compaction handed over behind a full queue", file);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("intent log {}: compaction while running failed (pruned at the next start instead): {}", file,
                    e.toString());
        } finally {
            if (!handedOver) {
                closeQuietly(out);
                deleteQuietly(path);
                compacting.set(false);
            }
        }
    }

    /** Copies {@code [from, to)} of {@code in} to {@code out} at {@code at}; returns the end written. */
    private static long copy(FileChannel in, long from, long to, FileChannel out, long at) throws IOException {
        long pos = from;
        while (pos < to) {
            long n = in.transferTo(pos, to - pos, out.position(at));
            if (n <= 0) {
                throw new IOException("copying the intent log stopped at byte " + pos + " of " + to);
            }
            pos += n;
            at += n;
        }
        return at;
    }

    /**
     * The second half, on the writer between batches: the records written since the copy (durable) go after
     * it, then the copy replaces the log. Returns the end of the log now written to. On failure before the
     * rename the old log stays in use; a failure after it (the directory's fsync) fails the store.
     */
    private long finishCompaction(Compaction c, long fileEnd) throws IOException {
        boolean renamed = false;
        try {
            long end = copy(channel, c.copiedThrough(), fileEnd, c.out(), c.out().size());
            c.out().force(true);
            FileChannel old = channel;
            synchronized (layoutLock) {
                Files.move(c.path(), file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                renamed = true;
                channel = c.out();
                headerBytes = PRUNED_HEADER_BYTES;
                firstIndex = c.firstIndex();
                durableBytes = end;
            }
            closeQuietly(old);
            AtomicFiles.fsyncDirectory(options.dir().toAbsolutePath());
            onlineCompactions.incrementAndGet();
            LOG.info("intent log {}: pruned intents up to {} while running ({} bytes, now {})", file, c.cut(),
                    fileEnd, end);
            return end;
        } catch (IOException | RuntimeException e) {
            if (renamed) {
                throw e;
            }
            LOG.warn("intent log {}: compaction while running failed (pruned at the next start instead): {}", file,
                    e.toString());
            closeQuietly(c.out());
            deleteQuietly(c.path());
            return fileEnd;
        } finally {
            compacting.set(false);
        }
    }

    /** A compaction the writer will not finish (the store closes or failed): its copy goes. */
    private void dropCompaction() {
        Compaction c = pendingCompaction;
        pendingCompaction = null;
        if (c != null) {
            closeQuietly(c.out());
            deleteQuietly(c.path());
            compacting.set(false);
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("closing a compaction copy", e);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", p, e.toString());
        }
    }

    /** Problem with a record whose checksum is right, or null. */
    private static String checkRecord(RecordScanner scanner, long expected) {
        long index = ByteBuffer.wrap(scanner.payload()).getLong(0);
        if (index != expected) {
            return "intent index " + index + " where " + expected + " was expected";
        }
        try {
            IntentCodec.decode(index, scanner.payload(), 8, scanner.payloadLength() - 8);
            return null;
        } catch (IOException e) {
            return "an undecodable intent: " + e.getMessage();
        }
    }

    @Override
    public boolean append(Intent intent, LongConsumer durable) {
        if (durable == null) {
            throw new IllegalArgumentException("durable callback is required");
        }
        byte[] encoded = IntentCodec.encode(intent);
        if (encoded.length + 8 > options.maxRecordBytes()) {
            throw new IllegalArgumentException("intent of " + (encoded.length + 8) + " bytes exceeds maxRecordBytes "
                    + options.maxRecordBytes());
        }
        synchronized (appendLock) {
            requireOpen();
            // offer under the lock: queue order is index order.
            if (!queue.offer(new Pending(lastIndex + 1, encoded, durable))) {
                return false;
            }
            lastIndex++;
            return true;
        }
    }

    private void requireOpen() {
        if (failure != null) {
            throw new IllegalStateException("intent store failed: " + failure, failure);
        }
        if (closed) {
            throw new IllegalStateException("intent store is closed");
        }
    }

    @Override
    public List<Intent> readAll() {
        List<Intent> all = new ArrayList<>();
        replay(0, all::add);
        return all;
    }

    @Override
    public void replay(long afterIndex, Consumer<Intent> sink) {
        FileChannel in;
        long limit;
        long start;
        try {
            synchronized (layoutLock) { // the file, its header and its durable end, together
                IntentStore.requireNotPruned(afterIndex, firstIndex - 1, file);
                limit = durableBytes;
                start = headerBytes;
                in = FileChannel.open(file, StandardOpenOption.READ);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read intent log " + file, e);
        }
        try (in) {
            RecordScanner scanner = new RecordScanner(in, start, limit, options.maxRecordBytes());
            RecordScanner.Outcome outcome;
            while ((outcome = scanner.next()) == RecordScanner.Outcome.RECORD) {
                long index = ByteBuffer.wrap(scanner.payload()).getLong(0);
                if (index > afterIndex) {
                    sink.accept(IntentCodec.decode(index, scanner.payload(), 8, scanner.payloadLength() - 8));
                }
            }
            if (outcome == RecordScanner.Outcome.BAD) {
                throw new CorruptLogException("intent log " + file + " changed under the store: "
                        + scanner.badReason() + " at byte " + scanner.recordStart());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read intent log " + file, e);
        }
    }

    @Override
    public long lastIndex() {
        synchronized (appendLock) {
            return lastIndex;
        }
    }

    @Override
    public long nextExchangeId() {
        synchronized (appendLock) {
            requireOpen();
        }
        return exchangeIds.next();
    }

    /** Batches written so far (each one write pass, and under FSYNC_BATCH one fsync). */
    public long batches() {
        return batches.get();
    }

    /** fsyncs of the log so far (0 under NONE). */
    public long fsyncs() {
        return fsyncs.get();
    }

    /** Intents accepted but not yet written. */
    public int queued() {
        return queue.size();
    }

    @Override
    public void close() {
        synchronized (appendLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            // STOP goes after every accepted append: they are written and called back first.
            while (writer.isAlive() && !queue.offer(STOP, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                // the writer is draining a full queue (or has just failed: then it is no longer alive)
            }
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.interrupt();
        } finally {
            synchronized (pruneLock) { // a prune preparing a compaction finishes first
                dropCompaction();
            }
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("closing intent log {}", file, e);
            }
            closeQuietly(lockChannel); // releases the directory's lock
        }
    }

    private void runWriter() {
        List<Pending> batch = new ArrayList<>(Math.min(options.maxBatch(), 65_536));
        ByteBuffer buf = ByteBuffer.allocate(Math.max(WRITE_BUFFER, options.maxRecordBytes() + 16));
        CRC32C crc = new CRC32C();
        long fileEnd = durableBytes;
        boolean stop = false;
        try {
            while (!stop) {
                Compaction compaction = pendingCompaction;
                if (compaction != null) {
                    pendingCompaction = null;
                    fileEnd = finishCompaction(compaction, fileEnd);
                }
                batch.clear();
                batch.add(queue.take());
                queue.drainTo(batch, options.maxBatch() - 1);
                batch.removeIf(p -> p == WAKE);
                int n = batch.size();
                if (n > 0 && batch.get(n - 1) == STOP) {
                    stop = true;
                    batch.remove(--n);
                }
                if (n == 0) {
                    if (stop) {
                        break;
                    }
                    continue; // woken for a compaction
                }
                for (Pending p : batch) {
                    int length = 8 + p.encoded().length;
                    if (buf.remaining() < RecordScanner.RECORD_HEADER + length) {
                        fileEnd = write(buf, fileEnd);
                    }
                    int start = buf.position();
                    buf.putInt(length).putInt(0).putLong(p.index()).put(p.encoded());
                    crc.reset();
                    crc.update(buf.array(), start + RecordScanner.RECORD_HEADER, length);
                    buf.putInt(start + 4, (int) crc.getValue());
                }
                fileEnd = write(buf, fileEnd);
                beforeSync.run();
                if (options.fsync() == FsyncPolicy.FSYNC_BATCH) {
                    channel.force(false);
                    fsyncs.incrementAndGet();
                }
                batches.incrementAndGet();
                durableBytes = fileEnd;
                for (Pending p : batch) {
                    try {
                        p.durable().accept(p.index());
                    } catch (RuntimeException e) {
                        LOG.error("durable callback of intent {} failed", p.index(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            failure = e;
            LOG.error("intent log writer interrupted; {} intents not written", queue.size() + batch.size());
            failureHandler.accept(e);
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            LOG.error("intent log {} failed: the store stops; intents from {} on have an unknown status", file,
                    batch.isEmpty() ? "?" : batch.get(0).index(), e);
            failureHandler.accept(e);
        }
    }

    private long write(ByteBuffer buf, long at) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            at += channel.write(buf, at);
        }
        buf.clear();
        return at;
    }

    @Override
    public void onFailure(java.util.function.Consumer<Throwable> handler) {
        failureHandler = handler;
    }
}
