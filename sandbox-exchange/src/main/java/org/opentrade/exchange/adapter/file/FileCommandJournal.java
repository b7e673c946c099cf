package org.opentrade.exchange.adapter.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.port.CommandJournal;

/**
 * The shard journal on local files: append-only segments {@code journal-<firstSeq>.log} of
 * length-prefixed, CRC32C-checked records. Appends go to an in-memory buffer; {@link #commit} writes
 * the buffer with one {@code write} and, under {@link FsyncPolicy#BATCH}, one {@code force} — group
 * commit, so the cost of durability is shared by every command of a batch.
 *
 * <p>Single writer: the shard thread. On open, a torn or corrupt tail of the last segment (a crash
 * mid-write) is cut off at the last intact record.
 */
public final class FileCommandJournal implements CommandJournal {
    /** Segment size before rolling: larger segments mean fewer files, coarser pruning. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    private static final String PREFIX = "journal-";
    private static final String SUFFIX = ".log";

    private final Path dir;
    private final FsyncPolicy fsync;
    private final long segmentBytes;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private FileChannel channel;
    private long channelSize;
    private long lastSeq;
    private long committedSeq;

    private FileCommandJournal(Path dir, FsyncPolicy fsync, long segmentBytes) {
        this.dir = dir;
        this.fsync = fsync;
        this.segmentBytes = segmentBytes;
    }

    public static FileCommandJournal open(Path dir, FsyncPolicy policy) {
        return open(dir, policy, DEFAULT_SEGMENT_BYTES);
    }

    public static FileCommandJournal open(Path dir, FsyncPolicy policy, long segmentBytes) {
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("journal segment size must be at least 4096 bytes, got " + segmentBytes);
        }
        FileCommandJournal j = new FileCommandJournal(dir, policy, segmentBytes);
        try {
            Files.createDirectories(dir);
            j.recoverTail();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open journal in " + dir, e);
        }
        return j;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(PREFIX) && n.endsWith(SUFFIX);
            }).sorted().toList();
        }
    }

    private static long firstSeqOf(Path segment) {
        String n = segment.getFileName().toString();
        return Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
    }

    private Path segmentPath(long firstSeq) {
        return dir.resolve(String.format("%s%020d%s", PREFIX, firstSeq, SUFFIX));
    }

    /** Finds the last intact record of the last segment, cuts anything after it, opens for append. */
    private void recoverTail() throws IOException {
        List<Path> segs = segments();
        if (segs.isEmpty()) {
            openSegment(1);
            return;
        }
        Path last = segs.get(segs.size() - 1);
        long[] end = {firstSeqOf(last) - 1};
        long validBytes = scan(last, 0, e -> end[0] = e.seq(), firstSeqOf(last));
        channel = FileChannel.open(last, StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (channel.size() > validBytes) {
            channel.truncate(validBytes);
            channel.force(true);
        }
        channel.position(validBytes);
        channelSize = validBytes;
        lastSeq = end[0];
        committedSeq = lastSeq;
    }

    private void openSegment(long firstSeq) throws IOException {
        if (channel != null) {
            channel.force(true);
            channel.close();
        }
        channel = FileChannel.open(segmentPath(firstSeq), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        channel.position(channel.size());
        channelSize = channel.size();
        forceDirectory();
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Not every file system lets a directory be opened for fsync; the data itself is forced.
        }
    }

    /**
     * Reads intact records of a segment in order, handing those with seq > afterSeq to the consumer.
     * Returns the byte length of the intact prefix. Stops at the first bad length, CRC or sequence.
     */
    private long scan(Path segment, long afterSeq, Consumer<JournalCodec.Entry> consumer, long expectedFirst)
            throws IOException {
        long pos = 0;
        long expected = expectedFirst;
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer header = ByteBuffer.allocate(JournalCodec.HEADER);
            ByteBuffer payload = ByteBuffer.allocate(JournalCodec.MAX_PAYLOAD);
            CRC32C check = new CRC32C();
            while (pos + JournalCodec.HEADER <= size) {
                header.clear();
                readFully(ch, header, pos);
                header.flip();
                int len = header.getInt();
                int sum = header.getInt();
                if (len <= 0 || len > JournalCodec.MAX_PAYLOAD || pos + JournalCodec.HEADER + len > size) {
                    break;
                }
                payload.clear().limit(len);
                readFully(ch, payload, pos + JournalCodec.HEADER);
                payload.flip();
                check.reset();
                check.update(payload.duplicate());
                if ((int) check.getValue() != sum) {
                    break;
                }
                JournalCodec.Entry e;
                try {
                    e = JournalCodec.readPayload(payload);
                } catch (RuntimeException corrupt) {
                    break;
                }
                if (e.seq() != expected) {
                    break;
                }
                expected++;
                if (e.seq() > afterSeq) {
                    consumer.accept(e);
                }
                pos += JournalCodec.HEADER + len;
            }
        }
        return pos;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long p = at;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw new IOException("unexpected end of journal segment");
            }
            p += n;
        }
    }

    @Override
    public long append(Command command) {
        int max = JournalCodec.maxPayload(command);
        if (max > JournalCodec.MAX_PAYLOAD) {
            throw new IllegalArgumentException("command too large for the journal: " + max + " bytes");
        }
        if (buffer.remaining() < JournalCodec.HEADER + max) {
            grow(JournalCodec.HEADER + max);
        }
        long seq = ++lastSeq;
        int start = buffer.position();
        buffer.position(start + JournalCodec.HEADER);
        JournalCodec.writePayload(buffer, seq, command);
        int end = buffer.position();
        int len = end - start - JournalCodec.HEADER;
        ByteBuffer view = buffer.duplicate();
        view.position(start + JournalCodec.HEADER).limit(end);
        crc.reset();
        crc.update(view);
        buffer.putInt(start, len);
        buffer.putInt(start + 4, (int) crc.getValue());
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

    @Override
    public void commit() {
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
            throw new UncheckedIOException("journal commit failed in " + dir, e);
        }
    }

    @Override
    public long lastSeq() {
        return lastSeq;
    }

    @Override
    public long firstSeq() {
        try {
            List<Path> segs = segments();
            return segs.isEmpty() ? lastSeq + 1 : Math.min(firstSeqOf(segs.get(0)), lastSeq + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list journal segments in " + dir, e);
        }
    }

    /** Sequence of the last command known to be written (and forced, under BATCH). */
    public long committedSeq() {
        return committedSeq;
    }

    @Override
    public void replay(long afterSeq, Consumer<Command> consumer) {
        try {
            List<Path> segs = segments();
            for (int i = 0; i < segs.size(); i++) {
                long nextFirst = i + 1 < segs.size() ? firstSeqOf(segs.get(i + 1)) : Long.MAX_VALUE;
                if (nextFirst - 1 <= afterSeq) {
                    continue; // the whole segment is at or before afterSeq
                }
                scan(segs.get(i), afterSeq, e -> consumer.accept(e.command()), firstSeqOf(segs.get(i)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("journal replay failed in " + dir, e);
        }
    }

    /**
     * Deletes whole segments whose every record is at or before {@code seq} (covered by a snapshot).
     * The active segment is never deleted.
     */
    @Override
    public void deleteUpTo(long seq) {
        try {
            List<Path> segs = segments();
            for (int i = 0; i + 1 < segs.size(); i++) {
                long lastInSegment = firstSeqOf(segs.get(i + 1)) - 1;
                if (lastInSegment <= seq) {
                    Files.deleteIfExists(segs.get(i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("journal pruning failed in " + dir, e);
        }
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
            throw new UncheckedIOException("journal close failed in " + dir, e);
        }
    }
}
