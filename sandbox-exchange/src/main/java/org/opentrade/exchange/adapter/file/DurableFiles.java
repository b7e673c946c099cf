package org.opentrade.exchange.adapter.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** The file operations every store here shares: whole reads, atomic replacement, directory fsync. */
final class DurableFiles {
    private DurableFiles() {
    }

    /** Reads until {@code b} is full, from byte {@code at}; an early end of file is an IOException. */
    static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    /**
     * Replaces {@code target} with {@code bytes} so that a crash leaves the old or the new content,
     * never half: written to {@code tmp}, forced, atomically renamed, and the directory forced.
     */
    static void replaceAtomically(Path tmp, Path target, ByteBuffer bytes) throws IOException {
        replaceAtomically(tmp, target, bytes, true);
    }

    /** As above; without {@code force} the replacement is atomic for a process crash, not a power loss. */
    static void replaceAtomically(Path tmp, Path target, ByteBuffer bytes, boolean force) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            if (force) {
                ch.force(true);
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (force) {
            forceDirectory(target.getParent());
        }
    }

    /** Makes renames and new files in {@code dir} durable; skipped where a directory cannot be opened. */
    static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Not every file system (or OS) lets a directory be opened for fsync; the files themselves are forced.
        }
    }
}
