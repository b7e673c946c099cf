package org.opentrade.exchange.adapter.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only log of numbered records on local files, shared by the command journal and the
 * event log. Segments {@code <prefix><firstSeq>.log} start with a header {@code [int magic][short
 * version][short 0]} and hold records {@code [int length][int crc32c][payload]} whose payload begins
 * with the record's {@code long seq}; sequences are gap-free from 1 across segments.
 *
 * <p>Appends go to an in-memory buffer; {@link #commit} writes it with one {@code write} and, under
 * {@link FsyncPolicy#BATCH}, one {@code force} (group commit). On open, a torn or corrupt tail of the
 * last segment (a crash mid-write) is cut at the last intact record.
 *
 * <p>Threads: one writer (append, commit, force, delete, truncate, close). Any thread may
 * {@link #read} records up to {@link #committedSeq()}; a sparse index of byte offsets, filled by the
 * writer as it commits and by readers as they scan, keeps a read from rescanning a segment from its
 * start. A read never skips: it hands records from {@code afterSeq + 1} on, and stops where the
 * history was pruned (before or while it reads).
 */
final class SegmentedLog implements AutoCloseable {
    static final int HEADER = 8;
    static final int SEGMENT_HEADER = 8;
    /**
     * One index entry per this many records: a page read starts at most this many records before its
     * first; memory ~60 bytes per entry (a day of the default simulator's events: ~1 MB).
     */
    private static final int INDEX_EVERY = 128;
    private static final String SUFFIX = ".log";
    /** Bytes a read takes from a segment at once once a scan is long: about a thousand events. */
    private static final int READ_CHUNK = 128 * 1024;
    /** Bytes of a scan's first read: enough for a record of any size. */
    private static final int FIRST_READ_CHUNK = 8 * 1024;

    /** Receives one record; {@code payload} is positioned after the seq and may be reused after the call. */
    @FunctionalInterface
    interface RecordReader {
        /** @return false to stop reading */
        boolean read(long seq, int version, ByteBuffer payload);
    }

    private final Path dir;
    private final String prefix;
    private final int magic;
    private final int version;
    private final int legacyVersion;
    private final int maxPayload;
    private final FsyncPolicy fsync;
    private final long segmentBytes;
    private final CRC32C crc = new CRC32C();
    /** First seq of each kept segment → its file; the writer adds and removes, readers look up. */
    private final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    /** Sparse seq → byte offset inside the segment that holds seq. */
    private final ConcurrentSkipListMap<Long, Long> index = new ConcurrentSkipListMap<>();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private FileChannel channel;
    private long activeFirstSeq;
    private long channelSize;
    private long lastSeq;
    private long lastIndexed;
    /** Buffer position of the record being appended (between beginAppend and endAppend). */
    private int recordStart;
    /** Last record written to the file (and forced, under BATCH): what readers may see. */
    private volatile long committedSeq;

    private SegmentedLog(Path dir, String prefix, int magic, int version, int legacyVersion, int maxPayload,
                         FsyncPolicy fsync, long segmentBytes) {
        this.dir = dir;
        this.prefix = prefix;
        this.magic = magic;
        this.version = version;
        this.legacyVersion = legacyVersion;
        this.maxPayload = maxPayload;
        this.fsync = fsync;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Opens (or creates) the log in {@code dir}.
     *
     * @param magic         identifies the record kind in each segment header
     * @param version       format version written in new segments
     * @param legacyVersion version assumed for segments without a header (written before headers
     *                      existed), or -1 when there are none of those to read
     */
    static SegmentedLog open(Path dir, String prefix, int magic, int version, int legacyVersion, int maxPayload,
                             FsyncPolicy fsync, long segmentBytes) {
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segment size must be at least 4096 bytes, got " + segmentBytes);
        }
        if (fsync == null) {
            throw new IllegalArgumentException("fsync policy is required");
        }
        SegmentedLog log = new SegmentedLog(dir, prefix, magic, version, legacyVersion, maxPayload, fsync,
                segmentBytes);
        try {
            Files.createDirectories(dir);
            log.loadSegments();
            log.recoverTail();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log in " + dir, e);
        }
        return log;
    }

    private void loadSegments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(SUFFIX)
                        && n.substring(prefix.length(), n.length() - SUFFIX.length()).matches("\\d{1,20}");
            }).forEach(p -> segments.put(firstSeqOf(p), p));
        }
    }

    private long firstSeqOf(Path segment) {
        String n = segment.getFileName().toString();
        return Long.parseLong(n.substring(prefix.length(), n.length() - SUFFIX.length()));
    }

    private Path segmentPath(long firstSeq) {
        return dir.resolve(String.format("%s%020d%s", prefix, firstSeq, SUFFIX));
    }

    /** Finds the last intact record of the last segment, cuts anything after it, opens it for append. */
    private void recoverTail() throws IOException {
        if (segments.isEmpty()) {
            openSegment(1);
            return;
        }
        Map.Entry<Long, Path> last = segments.lastEntry();
        long[] end = {last.getKey() - 1};
        long validBytes = scan(last.getValue(), last.getKey(), 0, Long.MAX_VALUE, (seq, v, p) -> {
            end[0] = seq;
            return true;
        });
        activeFirstSeq = last.getKey();
        channel = FileChannel.open(last.getValue(), StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (validBytes == 0) {
            // An empty segment (or one whose header never reached the disk): start it afresh.
            channel.truncate(0);
            writeSegmentHeader();
            validBytes = SEGMENT_HEADER;
        } else if (channel.size() > validBytes) {
            channel.truncate(validBytes);
            channel.force(true);
        }
        channel.position(validBytes);
        channelSize = validBytes;
        lastSeq = end[0];
        lastIndexed = lastSeq;
        committedSeq = lastSeq;
    }

    private void openSegment(long firstSeq) throws IOException {
        if (channel != null) {
            if (fsync == FsyncPolicy.BATCH) {
                channel.force(true); // under NONE nothing is forced, at a roll either
            }
            channel.close();
        }
        Path path = segmentPath(firstSeq);
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
        writeSegmentHeader();
        channelSize = SEGMENT_HEADER;
        activeFirstSeq = firstSeq;
        segments.put(firstSeq, path);
        if (fsync == FsyncPolicy.BATCH) {
            DurableFiles.forceDirectory(dir);
        }
    }

    private void writeSegmentHeader() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(SEGMENT_HEADER).putInt(magic).putShort((short) version).putShort((short) 0);
        h.flip();
        while (h.hasRemaining()) {
            channel.write(h, SEGMENT_HEADER - h.remaining());
        }
        channel.position(SEGMENT_HEADER);
    }

    /**
     * Reads intact records of a segment from byte {@code from} (0 = its start), handing those with
     * seq in ({@code afterSeq}, {@code limit}] to the reader. Returns the byte length of the intact
     * prefix scanned (0 when even the header is unreadable). Stops at the first bad length, CRC or
     * sequence, or when the reader says stop.
     */
    private long scan(Path segment, long firstSeq, long afterSeq, long limit, RecordReader reader) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            if (size < HEADER) {
                return 0;
            }
            DurableFiles.readFully(ch, header, 0);
            header.flip();
            int first = header.getInt();
            long pos;
            int segVersion;
            if (first == magic) {
                segVersion = header.getShort();
                pos = SEGMENT_HEADER;
            } else if (legacyVersion >= 0 && first > 0 && first <= maxPayload) {
                segVersion = legacyVersion;
                pos = 0;
            } else {
                return 0;
            }
            long expected = firstSeq;
            Map.Entry<Long, Long> hint = index.floorEntry(afterSeq + 1);
            if (hint != null && hint.getKey() > firstSeq && hint.getValue() >= pos) {
                pos = hint.getValue();
                expected = hint.getKey();
            }
            // Records are parsed out of large reads: one pread per READ_CHUNK, not two per record.
            // Small first: most reads want a page or a single record; it doubles as the scan goes on.
            ByteBuffer chunk = ByteBuffer.allocate(Math.max(FIRST_READ_CHUNK, HEADER + maxPayload));
            ByteBuffer payload = chunk.duplicate();
            long chunkStart = pos;
            int chunkLen = fill(ch, chunk, pos, size);
            CRC32C check = new CRC32C();
            long sinceIndex = 0;
            while (pos + HEADER <= size) {
                int off = (int) (pos - chunkStart);
                if (off + HEADER > chunkLen) {
                    if (chunk.capacity() < READ_CHUNK) {
                        chunk = ByteBuffer.allocate(Math.min(READ_CHUNK, chunk.capacity() * 2));
                        payload = chunk.duplicate();
                    }
                    chunkStart = pos;
                    chunkLen = fill(ch, chunk, pos, size);
                    off = 0;
                }
                int len = chunk.getInt(off);
                int sum = chunk.getInt(off + 4);
                if (len < 8 || len > maxPayload || pos + HEADER + len > size) {
                    break;
                }
                if (off + HEADER + len > chunkLen) {
                    chunkStart = pos;
                    chunkLen = fill(ch, chunk, pos, size);
                    off = 0;
                }
                check.reset();
                check.update(chunk.array(), off + HEADER, len);
                if ((int) check.getValue() != sum) {
                    break;
                }
                long seq = chunk.getLong(off + HEADER);
                if (seq != expected || seq > limit) {
                    break;
                }
                if (++sinceIndex >= INDEX_EVERY) {
                    index.putIfAbsent(seq, pos);
                    sinceIndex = 0;
                }
                if (seq > afterSeq) {
                    payload.limit(off + HEADER + len).position(off + HEADER + 8);
                    if (!reader.read(seq, segVersion, payload)) {
                        return pos;
                    }
                }
                expected++;
                pos += HEADER + len;
            }
            return pos;
        }
    }

    /** Reads from {@code at} into {@code chunk} (cleared) as much as fits or the file holds; returns the bytes read. */
    private static int fill(FileChannel ch, ByteBuffer chunk, long at, long size) throws IOException {
        chunk.clear();
        chunk.limit((int) Math.min(chunk.capacity(), size - at));
        DurableFiles.readFully(ch, chunk, at);
        int n = chunk.position();
        chunk.clear();
        return n;
    }

    /**
     * Starts a record with the next seq and returns the buffer to write its payload into (at most
     * {@code payloadBound} bytes); {@link #endAppend} finishes it. No callback object per record:
     * this is the shard thread's hot path. Writer thread.
     */
    ByteBuffer beginAppend(int payloadBound) {
        int bound = payloadBound + 8;
        if (bound > maxPayload) {
            throw new IllegalArgumentException("record too large for the log: " + bound + " bytes");
        }
        if (buffer.remaining() < HEADER + bound) {
            grow(HEADER + bound);
        }
        recordStart = buffer.position();
        buffer.position(recordStart + HEADER);
        buffer.putLong(++lastSeq);
        return buffer;
    }

    /** Finishes the record {@link #beginAppend} started: length, CRC, index; returns its seq. */
    long endAppend() {
        int start = recordStart;
        int end = buffer.position();
        int len = end - start - HEADER;
        // CRC over the payload in place (no duplicate buffer per record): position back to the
        // payload, limit at its end; update() leaves the position at the end again.
        buffer.position(start + HEADER).limit(end);
        crc.reset();
        crc.update(buffer);
        buffer.limit(buffer.capacity());
        buffer.putInt(start, len);
        buffer.putInt(start + 4, (int) crc.getValue());
        long seq = lastSeq;
        if (seq - lastIndexed >= INDEX_EVERY) {
            index.put(seq, channelSize + start);
            lastIndexed = seq;
        }
        return seq;
    }

    private void grow(int needed) {
        if (buffer.position() > 0 && buffer.capacity() >= needed * 2) {
            commit(); // flush what we have rather than grow without bound
            return;
        }
        ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, needed * 2));
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
    }

    /** Writes what was appended (and forces it under BATCH); then readers may see it. Writer thread. */
    void commit() {
        if (buffer.position() == 0) {
            return;
        }
        try {
            buffer.flip();
            int bytes = buffer.remaining();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
            channelSize += bytes;
            if (fsync == FsyncPolicy.BATCH) {
                channel.force(false);
            }
            committedSeq = lastSeq;
            if (channelSize >= segmentBytes) {
                openSegment(lastSeq + 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("log commit failed in " + dir, e);
        }
    }

    /** Forces everything committed to the device, whatever the policy. Writer thread. */
    void force() {
        commit();
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("log force failed in " + dir, e);
        }
    }

    long lastSeq() {
        return lastSeq;
    }

    /** Last record readers may see. Any thread. */
    long committedSeq() {
        return committedSeq;
    }

    /** Oldest kept seq ({@code lastSeq + 1} when nothing is kept). Any thread. */
    long firstSeq() {
        Map.Entry<Long, Path> first = segments.firstEntry();
        long committed = committedSeq;
        return first == null ? committed + 1 : Math.min(first.getKey(), committed + 1);
    }

    /**
     * Hands committed records with seq > {@code afterSeq} to {@code reader}, in order, until it
     * returns false or the committed end is reached. Any thread.
     */
    void read(long afterSeq, RecordReader reader) {
        long limit = committedSeq;
        long next = afterSeq + 1;
        boolean[] go = {true};
        while (go[0] && next <= limit) {
            Map.Entry<Long, Path> seg = segments.floorEntry(next);
            if (seg == null) {
                return; // pruned: never skip ahead, the caller sees where the history starts
            }
            long[] seen = {next - 1};
            long after = next - 1;
            try {
                scan(seg.getValue(), seg.getKey(), after, limit, (seq, v, p) -> {
                    seen[0] = seq;
                    go[0] = reader.read(seq, v, p);
                    return go[0];
                });
            } catch (NoSuchFileException deleted) {
                return; // pruned while we read: stop here rather than skip what it held
            } catch (IOException e) {
                throw new UncheckedIOException("log read failed in " + dir, e);
            }
            if (seen[0] < next) {
                return; // nothing more is readable here, and the next segment would not continue it
            }
            next = seen[0] + 1;
        }
    }

    /**
     * Deletes whole segments whose every record is at or before {@code seq}. The active segment is
     * never deleted. Writer thread.
     */
    void deleteUpTo(long seq) {
        try {
            for (Map.Entry<Long, Path> e : segments.entrySet()) {
                Long next = segments.higherKey(e.getKey());
                if (next == null || next - 1 > seq || e.getKey() == activeFirstSeq) {
                    break;
                }
                segments.remove(e.getKey());
                index.headMap(next).clear();
                Files.deleteIfExists(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("log pruning failed in " + dir, e);
        }
    }

    /**
     * Writes {@code payloads} (each starting with its seq: {@code firstSeq}, {@code firstSeq + 1}, …, ending just
     * before the oldest kept record) as a new segment in front of the others: to a temporary file, forced, then
     * renamed into place, so a crash leaves either no segment or the whole one. Any thread: the writer's active
     * segment is never this one, and readers find it once it is in place.
     */
    void prepend(long firstSeq, java.util.List<ByteBuffer> payloads) {
        Map.Entry<Long, Path> first = segments.firstEntry();
        long end = firstSeq + payloads.size() - 1;
        if (payloads.isEmpty() || first == null || end != first.getKey() - 1 || firstSeq < 1) {
            throw new IllegalArgumentException("records " + firstSeq + ".." + end + " do not end just before the"
                    + " oldest kept record " + (first == null ? "(none)" : first.getKey()));
        }
        long expected = firstSeq;
        int bytes = SEGMENT_HEADER;
        for (ByteBuffer p : payloads) {
            if (p.remaining() < 8 || p.getLong(p.position()) != expected++ || p.remaining() > maxPayload) {
                throw new IllegalArgumentException("records must be consecutive from " + firstSeq);
            }
            bytes += HEADER + p.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(bytes).putInt(magic).putShort((short) version).putShort((short) 0);
        CRC32C c = new CRC32C();
        for (ByteBuffer p : payloads) {
            c.reset();
            c.update(p.duplicate());
            out.putInt(p.remaining()).putInt((int) c.getValue()).put(p.duplicate());
        }
        out.flip();
        Path target = segmentPath(firstSeq);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                ch.force(true);
            }
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("prepending records " + firstSeq + ".." + end + " failed in " + dir, e);
        }
        segments.put(firstSeq, target);
    }

    /** Drops every record after {@code seq}. Writer thread; recovery only (nothing else may read). */
    void truncateAfter(long seq) {
        if (seq >= lastSeq) {
            return;
        }
        commit();
        try {
            Map.Entry<Long, Path> keep = segments.floorEntry(seq + 1);
            if (keep == null) {
                throw new IllegalStateException("cannot truncate after " + seq + ": older records are gone");
            }
            for (Long later : segments.tailMap(keep.getKey(), false).keySet().toArray(Long[]::new)) {
                Files.deleteIfExists(segments.remove(later));
            }
            index.tailMap(seq, false).clear();
            long[] cut = {-1};
            long valid = scan(keep.getValue(), keep.getKey(), 0, seq, (s, v, p) -> true);
            cut[0] = valid;
            channel.close();
            channel = FileChannel.open(keep.getValue(), StandardOpenOption.WRITE, StandardOpenOption.READ);
            channel.truncate(cut[0]);
            channel.force(true);
            channel.position(cut[0]);
            channelSize = cut[0];
            activeFirstSeq = keep.getKey();
            lastSeq = seq;
            lastIndexed = seq;
            committedSeq = seq;
            DurableFiles.forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("log truncation failed in " + dir, e);
        }
    }

    /** Deletes every record and continues numbering after {@code seq}. Writer thread; recovery only. */
    void resetAfter(long seq) {
        try {
            buffer.clear();
            channel.close();
            channel = null;
            for (Path p : segments.values()) {
                Files.deleteIfExists(p);
            }
            segments.clear();
            index.clear();
            lastSeq = seq;
            lastIndexed = seq;
            committedSeq = seq;
            openSegment(seq + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("log reset failed in " + dir, e);
        }
    }

    /** Bytes on disk of the kept segments (for metrics and the disk-bound test). Any thread. */
    long diskBytes() {
        long n = 0;
        for (Path p : segments.values()) {
            try {
                n += Files.size(p);
            } catch (IOException ignored) {
                // deleted meanwhile
            }
        }
        return n;
    }

    @Override
    public void close() {
        try {
            commit();
            if (channel != null) {
                channel.force(true);
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("log close failed in " + dir, e);
        }
    }
}
