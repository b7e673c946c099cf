package org.opentrade.exchange.adapter.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.opentrade.exchange.port.SnapshotStore;

/**
 * Snapshots as files {@code snapshot-<journalSeq>.bin}: written to a temporary file, forced,
 * atomically renamed, then the directory forced, so a crash leaves either the old or the new
 * snapshot, never half of one, and a saved snapshot survives a power cut. The newest readable file
 * wins; the {@link #KEEP} newest are kept. Called on the shard thread.
 *
 * <p>Format, big-endian. Version 2, written since the version field exists:
 * {@code int MAGIC "OTSN", int version (2), long journalSeq, long eventSeq, int length,
 * byte[length] engineState, int CRC32C of every byte before it}. Version 1, read only:
 * {@code int MAGIC, long journalSeq, long eventSeq, int length, byte[length] engineState,
 * int CRC32C of engineState}. A version 1 file is recognised by the journal sequence right after
 * MAGIC being the one in its name. A file that is damaged or of a version this code does not know
 * (written by a newer release) is skipped with a warning naming the file and the reason, and the
 * next older snapshot is used.
 *
 * <p>The golden files under {@code src/test/resources/golden} pin the format: a change to what
 * {@link #save} writes fails {@code FileSnapshotFormatTest}. Make such a change deliberately:
 * bump {@link #FORMAT_VERSION}, keep reading the older versions, add a fixture for the new one.
 */
public final class FileSnapshotStore implements SnapshotStore {
    /** The format version {@link #save} writes. */
    public static final int FORMAT_VERSION = 2;
    private static final Logger LOG = Logger.getLogger(FileSnapshotStore.class.getName());
    private static final int MAGIC = 0x4F54534E; // "OTSN"
    /** MAGIC, journalSeq, eventSeq, length. */
    private static final int V1_HEADER = 4 + 8 + 8 + 4;
    /** MAGIC, version, journalSeq, eventSeq, length. */
    private static final int V2_HEADER = 4 + 4 + 8 + 8 + 4;
    private static final String NAME_PATTERN = "snapshot-\\d{20}\\.bin";
    private final Path dir;
    private final boolean force;

    /** A store that forces every snapshot to the device (survives a power loss). */
    public FileSnapshotStore(Path dir) {
        this(dir, true);
    }

    /**
     * @param force force each snapshot and the directory to the device before it counts. Off (the
     *              shard's fsync NONE): the rename is still atomic, so a kill -9 leaves the old or
     *              the new snapshot, but a power loss may leave a damaged newest one, which recovery
     *              skips for the older one (the journal is kept back to it).
     */
    public FileSnapshotStore(Path dir, boolean force) {
        this.dir = dir;
        this.force = force;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create snapshot directory " + dir, e);
        }
    }

    @Override
    public void save(Snapshot s) {
        try {
            DurableFiles.replaceAtomically(dir.resolve("snapshot.tmp"),
                    dir.resolve(String.format("snapshot-%020d.bin", s.journalSeq())), encode(s), force);
            List<Path> all = files();
            for (int i = 0; i < all.size() - KEEP; i++) {
                Files.deleteIfExists(all.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot in " + dir, e);
        }
    }

    private static ByteBuffer encode(Snapshot s) {
        byte[] state = s.engineState();
        ByteBuffer b = ByteBuffer.allocate(V2_HEADER + state.length + 4);
        b.putInt(MAGIC).putInt(FORMAT_VERSION).putLong(s.journalSeq()).putLong(s.eventSeq()).putInt(state.length)
                .put(state);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(NAME_PATTERN)).sorted().toList();
        }
    }

    private static long journalSeqOf(Path p) {
        return Long.parseLong(p.getFileName().toString().substring(9, 29));
    }

    @Override
    public Optional<Snapshot> latest() {
        try {
            List<Path> all = files();
            for (int i = all.size() - 1; i >= 0; i--) {
                Optional<Snapshot> s = read(all.get(i));
                if (s.isPresent()) {
                    return s;
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshots in " + dir, e);
        }
    }

    @Override
    public List<Long> journalSeqs() {
        try {
            return files().stream().map(FileSnapshotStore::journalSeqOf).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshots in " + dir, e);
        }
    }

    private static Optional<Snapshot> read(Path p) {
        long nameSeq = journalSeqOf(p);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, V2_HEADER));
            DurableFiles.readFully(ch, head, 0);
            if (head.capacity() >= 4 && head.getInt(0) != MAGIC) {
                return skip(p, "it does not start with the snapshot magic");
            }
            if (head.capacity() < V1_HEADER) {
                return skip(p, "it is truncated (" + size + " bytes)");
            }
            // The two readings overlap only for a version 2 file at journal seq 0x2_0000_0002, which
            // then fails the version 1 length or checksum check and is skipped.
            if (head.getLong(4) == nameSeq) {
                return readBody(p, ch, size, head, 1);
            }
            int version = head.getInt(4);
            if (version == FORMAT_VERSION) {
                return head.capacity() == V2_HEADER ? readBody(p, ch, size, head, 2)
                        : skip(p, "it is truncated (" + size + " bytes)");
            }
            if (version > FORMAT_VERSION) {
                return skip(p, "its format version " + version + " is unknown to this release, which reads 1 to "
                        + FORMAT_VERSION + " (written by a newer release?)");
            }
            return skip(p, "its header matches no known format version (version field " + version + ")");
        } catch (IOException e) {
            return skip(p, "it cannot be read: " + e);
        }
    }

    /** Reads the rest of a file whose header {@code head} is in the given format version. */
    private static Optional<Snapshot> readBody(Path p, FileChannel ch, long size, ByteBuffer head, int version)
            throws IOException {
        int at = version == 1 ? 4 : 8;
        long journalSeq = head.getLong(at);
        long eventSeq = head.getLong(at + 8);
        int len = head.getInt(at + 16);
        int headerLen = version == 1 ? V1_HEADER : V2_HEADER;
        if (journalSeq != journalSeqOf(p)) {
            return skip(p, "its journal seq " + journalSeq + " does not match its name");
        }
        if (len < 0 || headerLen + (long) len + 4 > size) {
            return skip(p, "it is truncated (state length " + len + ", file " + size + " bytes)");
        }
        byte[] state = new byte[len];
        DurableFiles.readFully(ch, ByteBuffer.wrap(state), headerLen);
        ByteBuffer sum = ByteBuffer.allocate(4);
        DurableFiles.readFully(ch, sum, headerLen + (long) len);
        CRC32C crc = new CRC32C();
        if (version != 1) {
            crc.update(head.array(), 0, headerLen);
        }
        crc.update(state);
        if ((int) crc.getValue() != sum.getInt(0)) {
            return skip(p, "its checksum does not match (format version " + version + ")");
        }
        return Optional.of(new Snapshot(journalSeq, eventSeq, state));
    }

    private static Optional<Snapshot> skip(Path p, String why) {
        LOG.warning(() -> "snapshot " + p + " skipped: " + why + "; recovery uses an older snapshot if any");
        return Optional.empty();
    }
}
