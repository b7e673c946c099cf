package org.opentrade.common.identity;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * The gateway's Ed25519 identity key material in PEM files, readable by OpenSSL
 * ({@code openssl pkey -in identity-ed25519.pem -pubout} prints the public key).
 *
 * <ul>
 *   <li>The gateway's file holds a {@code PRIVATE KEY} block (PKCS#8) and a {@code PUBLIC KEY}
 *       block (X.509 SubjectPublicKeyInfo). {@link #loadOrCreate} creates it on first start: mode
 *       600 from the first byte (never readable by others, not even until a chmod), written to a
 *       temporary file, forced to disk, then linked into place atomically, so a crash leaves no
 *       half-written key and two gateways starting at once on a shared file end with the same key.</li>
 *   <li>A service in distributed mode is given a file with the {@code PUBLIC KEY} block only
 *       ({@link #writePublicKey}, or the gateway's own file's public block) and reads it with
 *       {@link #loadPublicKey}.</li>
 * </ul>
 * Blocking file I/O: call at start-up or on a worker thread, never on an event loop.
 */
public final class GatewayKeys {
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private GatewayKeys() {
    }

    /** A new random Ed25519 key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
    }

    /**
     * The key pair in {@code file}, created (mode 600, missing parent directories mode 700) when the
     * file does not exist. An existing file of this user is made mode 600 if it was not; another
     * user's (a mounted container secret) is read as it is ({@link SecretFiles}).
     *
     * @throws IOException when the file cannot be read or written, or holds no valid Ed25519 pair
     */
    public static KeyPair loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            KeyPair pair = generate();
            if (create(file, toPem(pair).getBytes(StandardCharsets.US_ASCII))) {
                return pair;
            }
            // another process created it first: use theirs
        }
        SecretFiles.restrictToOwner(file);
        return load(file);
    }

    /** The key pair in {@code file} (both blocks). */
    public static KeyPair load(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            return parseKeyPair(pem);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The public key in {@code file}: its {@code PUBLIC KEY} block (any other block is ignored). */
    public static PublicKey loadPublicKey(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            return parsePublicKey(pem);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code key}'s {@code PUBLIC KEY} block to {@code file} (mode 644: it is public), replacing
     * it atomically; for handing to services in distributed mode.
     */
    public static void writePublicKey(Path file, PublicKey key) throws IOException {
        byte[] bytes = publicKeyPem(key).getBytes(StandardCharsets.US_ASCII);
        Path tmp = temporary(file, bytes, PUBLIC_FILE);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.toAbsolutePath().getParent());
    }

    /** Both blocks, private first. */
    public static String toPem(KeyPair pair) {
        return pem(PRIVATE, pair.getPrivate().getEncoded()) + pem(PUBLIC, pair.getPublic().getEncoded());
    }

    public static String publicKeyPem(PublicKey key) {
        return pem(PUBLIC, key.getEncoded());
    }

    /** @throws IllegalArgumentException when a block is missing or not an Ed25519 key */
    public static KeyPair parseKeyPair(String pem) {
        try {
            PrivateKey priv = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(block(pem, PRIVATE)));
            return new KeyPair(parsePublicKey(pem), priv);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the " + PRIVATE + " block is not an Ed25519 key", e);
        }
    }

    /** @throws IllegalArgumentException when the block is missing or not an Ed25519 key */
    public static PublicKey parsePublicKey(String pem) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(block(pem, PUBLIC)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the " + PUBLIC + " block is not an Ed25519 key", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] block(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = pem.indexOf(begin);
        int e = b < 0 ? -1 : pem.indexOf(end, b);
        if (e < 0) {
            throw new IllegalArgumentException("no " + type + " block");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e).strip());
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException("the " + type + " block is not base64", x);
        }
    }

    /** Links the content into place unless {@code file} exists; false when another process won. */
    private static boolean create(Path file, byte[] bytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            if (POSIX) {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } else {
                Files.createDirectories(parent);
            }
        }
        Path tmp = temporary(file, bytes, OWNER_ONLY);
        try {
            try {
                Files.createLink(file, tmp); // atomic, and fails rather than replace
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | IOException e) {
                // no hard links here: a rename, which replaces a file created since the check above
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            }
            forceDirectory(parent);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A fresh temporary sibling of {@code file} with {@code bytes}, created with {@code mode}, forced. */
    private static Path temporary(Path file, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp); // a leftover may have other permissions: never reuse it
        FileAttribute<?>[] attrs = POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
                : new FileAttribute<?>[0];
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attrs)) {
            OutputStream out = Channels.newOutputStream(ch);
            out.write(bytes);
            out.flush();
            ch.force(true);
        }
        if (POSIX && !Files.getPosixFilePermissions(tmp).equals(mode)) {
            Files.setPosixFilePermissions(tmp, mode); // the umask may have removed bits (644 under 077)
        }
        return tmp;
    }

    private static void forceDirectory(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // Windows cannot open a directory; nothing more to do there
        }
    }
}
