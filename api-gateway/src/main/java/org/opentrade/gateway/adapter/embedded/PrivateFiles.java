package org.opentrade.gateway.adapter.embedded;

import java.io.IOException;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only the gateway's user may read (keys, tokens, usage), created private rather than
 * tightened afterwards, so there is no moment when another user can open them; and replaced
 * durably: temporary file forced, renamed over the old one, directory forced, so a crash leaves the
 * old or the new content and a completed write survives power loss. Blocking: worker threads and
 * start-up only. On a file system without POSIX permissions the files get its defaults.
 */
public final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /**
     * Creates {@code dir} (and missing parents) mode 700, or makes an existing one 700: the gateway's
     * data directory is its own.
     */
    public static void privateDirectory(Path dir) throws IOException {
        if (!POSIX) {
            Files.createDirectories(dir);
            return;
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
        if (!Files.getPosixFilePermissions(dir).equals(DIR)) {
            Files.setPosixFilePermissions(dir, DIR);
        }
    }

    /** Creates {@code file}'s missing parents, mode 700 (an existing parent is left as it is). */
    static void parents(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            if (POSIX) {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(DIR));
            } else {
                Files.createDirectories(parent);
            }
        }
    }

    /** Writes the content of a file being replaced. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Atomically and durably replaces {@code file} with {@code bytes}; the file is mode 600. */
    public static void replace(Path file, byte[] bytes) throws IOException {
        replace(file, out -> out.write(bytes));
    }

    /** Atomically and durably replaces {@code file} with what {@code content} writes; mode 600. */
    public static void replace(Path file, Content content) throws IOException {
        parents(file);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp); // a leftover may have other permissions: never reuse it
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attributes())) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
            content.writeTo(out);
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.toAbsolutePath().getParent());
    }

    /** Makes an existing file mode 600 (one an earlier version wrote with the default mode). */
    public static void privateFile(Path file) throws IOException {
        if (POSIX && !Files.getPosixFilePermissions(file).equals(FILE)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    /** Opens {@code file} for appending, creating it mode 600 if absent. */
    static FileChannel append(Path file) throws IOException {
        parents(file);
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), attributes());
    }

    /** Makes a rename or creation in {@code dir} durable. No-op where directories cannot be opened. */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // Windows cannot open a directory; nothing more to do there
        }
    }

    private static FileAttribute<?>[] attributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }
}
