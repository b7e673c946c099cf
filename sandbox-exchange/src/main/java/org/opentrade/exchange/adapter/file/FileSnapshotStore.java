package org.opentrade.exchange.adapter.file;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.opentrade.exchange.port.SnapshotStore;

/**
 * Snapshots as files {@code snapshot-<journalSeq>.bin}: written to a temporary file, forced, then
 * atomically renamed, so a crash leaves either the old or the new snapshot, never half of one. A
 * CRC32C guards the content; the newest intact file wins. The two newest are kept.
 */
public final class FileSnapshotStore implements SnapshotStore {
    private static final int MAGIC = 0x4F54534E; // "OTSN"
    private final Path dir;

    public FileSnapshotStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create snapshot directory " + dir, e);
        }
    }

    @Override
    public void save(Snapshot s) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.engineState().length + 64);
            DataOutputStream out = new DataOutputStream(bytes);
            CRC32C crc = new CRC32C();
            crc.update(s.engineState());
            out.writeInt(MAGIC);
            out.writeLong(s.journalSeq());
            out.writeLong(s.eventSeq());
            out.writeInt(s.engineState().length);
            out.write(s.engineState());
            out.writeInt((int) crc.getValue());
            out.flush();
            Path tmp = dir.resolve("snapshot.tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray());
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Path target = dir.resolve(String.format("snapshot-%020d.bin", s.journalSeq()));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            List<Path> all = files();
            for (int i = 0; i < all.size() - KEEP; i++) {
                Files.deleteIfExists(all.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot in " + dir, e);
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("snapshot-\\d{20}\\.bin")).sorted().toList();
        }
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
            return files().stream().map(p -> Long.parseLong(p.getFileName().toString().substring(9, 29))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Snapshot> read(Path p) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(p))) {
            if (in.readInt() != MAGIC) {
                return Optional.empty();
            }
            long journalSeq = in.readLong();
            long eventSeq = in.readLong();
            int len = in.readInt();
            if (len < 0 || len > Files.size(p)) {
                return Optional.empty();
            }
            byte[] state = in.readNBytes(len);
            int sum = in.readInt();
            CRC32C crc = new CRC32C();
            crc.update(state);
            if (state.length != len || (int) crc.getValue() != sum) {
                return Optional.empty();
            }
            return Optional.of(new Snapshot(journalSeq, eventSeq, state));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
