package org.opentrade.trade.adapter.file;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.opentrade.trade.port.StreamJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StreamJournal} in segment files under one directory ({@code journal-<n>.log}, a new one per process
 * start and every {@code maxSegmentBytes}). A record is {@code [int length][int crc32][body]}; {@link #load}
 * reads the segments in order and stops at the first record that is torn or fails its checksum, then cuts
 * the files there (that segment truncated, later ones deleted), so what it returned stays a prefix of what
 * the next process appends to.
 *
 * <p>Records collect in memory and reach the OS (one {@code write}, no fsync) at {@link #flush}, which the
 * order stream calls before a frame goes out: a process crash (kill -9) never loses a frame a client has, only
 * frames nobody was sent. A power loss may lose what the OS had not written: a tail, cut at load. A failed
 * write stops recording for the rest of the process (counted in {@link #dropped}), which keeps the prefix:
 * the next start vouches for less, never for a frame it did not keep.
 *
 * <p>Pruning: once a snapshot is durable ({@link #snapshotDurable}), whole segments written before the mark
 * of the older of the two newest durable snapshots, and last written before {@code keepAfterMs}, are deleted.
 *
 * <p>Threads: every method is synchronized (the order stream's owner context makes nearly every call; the
 * lock is uncontended).
 */
public final class FileStreamJournal extends StreamRecordJournal {
    private static final Logger LOG = LoggerFactory.getLogger(FileStreamJournal.class);
    /** Larger than any record this class writes (frames are a few hundred bytes): a longer length is damage. */
    private static final int MAX_RECORD_BYTES = 16 << 20;
    /** Records pending in memory beyond this are written at once, sent or not. */
    private static final int FLUSH_AT_BYTES = 64 << 10;

    private final Path dir;
    private final long maxSegmentBytes;
    private final CRC32 crc = new CRC32();
    private final TreeMap<Long, Long> segmentLastWriteMs = new TreeMap<>();
    private final DurableMarks marks = new DurableMarks();
    private ByteBuffer pending = ByteBuffer.allocate(FLUSH_AT_BYTES * 2);
    private long dropped;
    private boolean loaded;
    private boolean stopped;
    private long segment;
    private long segmentBytes;
    private FileChannel channel;
    /** The body of the last generation record (this process's), which every new segment starts with. */
    private byte[] generation;

    public FileStreamJournal(Path dir) {
        this(dir, 8L << 20);
    }

    FileStreamJournal(Path dir, long maxSegmentBytes) {
        this.dir = dir;
        this.maxSegmentBytes = maxSegmentBytes;
    }

    @Override
    public synchronized Recorded load() {
        if (loaded) {
            throw new IllegalStateException("load once, before recording");
        }
        loaded = true;
        try {
            Files.createDirectories(dir);
            List<Long> numbers = segmentNumbers();
            List<Entry> entries = new ArrayList<>();
            boolean fromOrigin = numbers.isEmpty();
            boolean first = true;
            boolean cut = false;
            for (long n : numbers) {
                Path file = segmentFile(n);
                if (cut) {
                    Files.delete(file);
                    LOG.warn("order stream journal: deleted {}, after a damaged record", file);
                    continue;
                }
                segmentLastWriteMs.put(n, Files.getLastModifiedTime(file).toMillis());
                long good = 0;
                try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                    while (true) {
                        byte[] body = readRecord(in);
                        if (body == null) {
                            break;
                        }
                        byte kind = body[0];
                        if (first) {
                            fromOrigin = kind == StreamRecords.ORIGIN;
                            first = false;
                        }
                        if (kind == StreamRecords.BARRIER) {
                            entries.clear();
                            fromOrigin = false;
                        } else if (kind != StreamRecords.ORIGIN) {
                            entries.add(StreamRecords.decode(body));
                        }
                        good += 8 + body.length;
                    }
                } catch (StreamRecords.Damaged d) {
                    cut = true;
                }
                if (cut) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(good);
                    }
                    LOG.warn("order stream journal: {} ends in a torn or damaged record; cut at byte {}", file, good);
                }
                segment = n;
            }
            segment++;
            openSegment();
            if (numbers.isEmpty()) {
                add(StreamRecords.origin(System.currentTimeMillis()));
                flush();
            }
            return new Recorded(fromOrigin, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("order stream journal under " + dir + " could not be read", e);
        }
    }

    @Override
    public synchronized long mark(long intentIndex, Map<Integer, Long> feedPositions) {
        add(StreamRecords.mark(intentIndex, feedPositions));
        long token = marks.mark(segment); // the segment rolls over only in flush, after what is pending
        flush();
        return token;
    }

    @Override
    public synchronized void snapshotDurable(long token, long keepAfterMs) {
        long keepFrom = stopped ? -1 : marks.durable(token);
        if (keepFrom < 0) {
            return;
        }
        for (Map.Entry<Long, Long> e : new ArrayList<>(segmentLastWriteMs.headMap(keepFrom, false).entrySet())) {
            if (e.getValue() < keepAfterMs) {
                try {
                    Files.deleteIfExists(segmentFile(e.getKey()));
                    segmentLastWriteMs.remove(e.getKey());
                } catch (IOException err) {
                    LOG.warn("order stream journal: could not delete {}: {}", segmentFile(e.getKey()), err.toString());
                }
            }
        }
    }

    @Override
    public synchronized void flush() {
        if (stopped || pending.position() == 0) {
            return;
        }
        pending.flip();
        try {
            int size = pending.remaining();
            while (pending.hasRemaining()) {
                channel.write(pending);
            }
            segmentBytes += size;
            segmentLastWriteMs.put(segment, System.currentTimeMillis());
            if (segmentBytes >= maxSegmentBytes) {
                channel.close();
                segment++;
                openSegment();
                if (generation != null) {
                    // Each segment opens with the generation its records belong to: pruning deletes whole
                    // segments, and once the one holding the generation record went, a start no longer knew the
                    // epoch of the frames it kept (their clients got the flagged snapshot).
                    ByteBuffer record = record(generation);
                    while (record.hasRemaining()) {
                        channel.write(record);
                    }
                    segmentBytes += record.limit();
                }
            }
        } catch (IOException | RuntimeException e) {
            stop("writing " + segmentFile(segment) + " failed", e);
        } finally {
            pending.clear();
        }
    }

    @Override
    public synchronized long dropped() {
        return dropped;
    }

    @Override
    public synchronized void close() {
        flush();
        stopped = true;
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.warn("order stream journal: closing {} failed: {}", segmentFile(segment), e.toString());
        }
    }

    // ---- writing

    @Override
    protected void add(byte[] body) {
        if (stopped || !loaded) {
            dropped++;
            return;
        }
        if (pending.remaining() < 8 + body.length) {
            flush();
            if (pending.capacity() < 8 + body.length) {
                pending = ByteBuffer.allocate(8 + body.length);
            }
        }
        if (body[0] == StreamRecords.GENERATION) {
            generation = body;
        }
        crc.reset();
        crc.update(body);
        pending.putInt(body.length).putInt((int) crc.getValue()).put(body);
        if (pending.position() >= FLUSH_AT_BYTES) {
            flush();
        }
    }

    /** {@code body} framed as a record (length, CRC32, body), as {@link #add} frames it into the pending buffer. */
    private ByteBuffer record(byte[] body) {
        crc.reset();
        crc.update(body);
        return ByteBuffer.allocate(8 + body.length).putInt(body.length).putInt((int) crc.getValue()).put(body).flip();
    }

    private void stop(String what, Exception e) {
        stopped = true;
        dropped++;
        LOG.error("order stream journal under {}: {}; recording stops until the next start, whose resumes then reach"
                + " back only to what was written", dir, what, e);
    }

    private void openSegment() throws IOException {
        channel = FileChannel.open(segmentFile(segment), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segmentBytes = 0;
        segmentLastWriteMs.put(segment, System.currentTimeMillis());
    }

    /** The next record's body, null at a clean end. */
    private static byte[] readRecord(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException end) {
            return null;
        }
        if (length < 1 || length > MAX_RECORD_BYTES) {
            throw new StreamRecords.Damaged();
        }
        try {
            int crc = in.readInt();
            byte[] body = in.readNBytes(length);
            if (body.length != length) {
                throw new StreamRecords.Damaged();
            }
            CRC32 c = new CRC32();
            c.update(body);
            if ((int) c.getValue() != crc || !StreamRecords.known(body[0])) {
                throw new StreamRecords.Damaged();
            }
            return body;
        } catch (EOFException torn) {
            throw new StreamRecords.Damaged();
        }
    }

    private List<Long> segmentNumbers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("journal-\\d{16}\\.log"))
                    .map(n -> Long.parseLong(n.substring(8, 24))).sorted().toList();
        }
    }

    private Path segmentFile(long n) {
        return dir.resolve(String.format("journal-%016d.log", n));
    }
}
