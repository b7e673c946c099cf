package org.opentrade.trade.adapter.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.opentrade.trade.port.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SnapshotStore} as files {@code <dir>/snapshot-<seq>.snap} (seq counts writes, 20 digits), each
 * {@code [int magic "OTSN"][short version 1][short 0][long seq][long intentIndex][int n]
 * n × [int partition][long position][int ledgerLength][ledger bytes][int crc32c of all before]},
 * written atomically (temp file, fsync, rename, fsync of the directory). Keeps the newest
 * {@value #KEEP}; {@link #latest()} skips a damaged newest file (WARN) for the one before.
 *
 * <p>Threads: any, synchronized; blocks on disk.
 */
public final class FileSnapshotStore implements SnapshotStore {
    public static final Path DEFAULT_DIR = Path.of("data", "trade", "snapshots");
    /** Snapshots kept: the newest and one to fall back on. */
    public static final int KEEP = 2;
    private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStore.class);
    private static final int MAGIC = 0x4F54534E; // "OTSN"
    private static final short VERSION = 1;
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})\\.snap");

    private final Path dir;
    private final Runnable beforeRename;
    private long lastSeq;

    public FileSnapshotStore(Path dir) {
        this(dir, () -> { });
    }

    /** @param beforeRename test hook run between the durable temp file and its rename */
    FileSnapshotStore(Path dir, Runnable beforeRename) {
        this.dir = dir;
        this.beforeRename = beforeRename;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (p.getFileName().toString().endsWith(AtomicFiles.TMP_SUFFIX)) {
                        Files.delete(p); // a write that crashed before its rename
                    }
                }
            }
            List<Long> seqs = seqs();
            lastSeq = seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open snapshot directory " + dir, e);
        }
    }

    @Override
    public synchronized void write(long intentIndex, Map<Integer, Long> feedPositions, byte[] ledgerBytes) {
        Snapshot snapshot = new Snapshot(intentIndex, feedPositions, ledgerBytes); // validates, copies
        long seq = lastSeq + 1;
        byte[] content = encode(seq, snapshot);
        try {
            AtomicFiles.write(path(seq), content, beforeRename);
            lastSeq = seq;
            List<Long> seqs = seqs();
            for (int i = 0; i < seqs.size() - KEEP; i++) {
                Files.deleteIfExists(path(seqs.get(i)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot " + path(seq), e);
        }
    }

    @Override
    public synchronized Optional<Snapshot> latest() {
        try {
            List<Long> seqs = seqs();
            for (int i = seqs.size() - 1; i >= 0; i--) {
                Path p = path(seqs.get(i));
                Optional<Snapshot> s = decode(Files.readAllBytes(p));
                if (s.isPresent()) {
                    return s;
                }
                LOG.warn("snapshot {} is damaged; trying the one before", p);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshots in " + dir, e);
        }
    }

    private Path path(long seq) {
        return dir.resolve(String.format("snapshot-%020d.snap", seq));
    }

    /** Sequence numbers of the snapshot files present, ascending. */
    private List<Long> seqs() throws IOException {
        List<Long> seqs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    seqs.add(Long.parseLong(m.group(1)));
                }
            }
        }
        seqs.sort(null);
        return seqs;
    }

    private static byte[] encode(long seq, Snapshot s) {
        byte[] ledger = s.ledgerBytes();
        Map<Integer, Long> positions = new TreeMap<>(s.feedPositions());
        ByteBuffer buf = ByteBuffer.allocate(8 + 8 + 8 + 4 + positions.size() * 12 + 4 + ledger.length + 4);
        buf.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(seq).putLong(s.intentIndex());
        buf.putInt(positions.size());
        positions.forEach((partition, position) -> buf.putInt(partition).putLong(position));
        buf.putInt(ledger.length).put(ledger);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    /** The snapshot, or empty when the bytes are not an intact snapshot of this version. */
    private static Optional<Snapshot> decode(byte[] bytes) {
        if (bytes.length < 36) {
            return Optional.empty();
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        if (buf.getInt(bytes.length - 4) != (int) crc.getValue() || buf.getInt() != MAGIC
                || buf.getShort() != VERSION) {
            return Optional.empty();
        }
        try {
            buf.getShort();
            buf.getLong(); // seq: the file name says it
            long intentIndex = buf.getLong();
            int n = buf.getInt();
            Map<Integer, Long> positions = new HashMap<>();
            for (int i = 0; i < n; i++) {
                positions.put(buf.getInt(), buf.getLong());
            }
            byte[] ledger = new byte[buf.getInt()];
            buf.get(ledger);
            if (buf.remaining() != 4) {
                return Optional.empty();
            }
            return Optional.of(new Snapshot(intentIndex, positions, ledger));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
