package org.opentrade.gateway.adapter.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.opentrade.gateway.port.PasswordHasher;

/**
 * Argon2id (RFC 9106) from Bouncy Castle, encoded in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>} so the parameters can be
 * raised later without breaking stored hashes. Defaults follow OWASP's minimum (19 MiB, 2
 * iterations, 1 lane): about 30–60 ms per call on one core, which is what makes guessing slow. A check of a
 * hash made at a lower cost costs the current cost all the same (see {@link #padToCurrentCost}).
 */
public final class Argon2idPasswordHasher implements PasswordHasher {
    public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
    public static final int DEFAULT_ITERATIONS = 2;
    public static final int DEFAULT_PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    /** The salt of the throwaway work that evens out a cheaper hash's check; nothing derived with it is kept. */
    private static final byte[] PAD_SALT = "opentrade-argon2id-padding".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final Derivation argon2;

    /** The Argon2id function itself; a test records the work asked of it. */
    interface Derivation {
        byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length);
    }

    public Argon2idPasswordHasher(int memoryKib, int iterations, int parallelism) {
        this(memoryKib, iterations, parallelism, Argon2idPasswordHasher::derive);
    }

    Argon2idPasswordHasher(int memoryKib, int iterations, int parallelism, Derivation argon2) {
        if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
            throw new IllegalArgumentException("bad Argon2 parameters m=" + memoryKib + " t=" + iterations
                    + " p=" + parallelism);
        }
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.argon2 = argon2;
    }

    public Argon2idPasswordHasher() {
        this(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM);
    }

    @Override
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] h = argon2.derive(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(h);
    }

    @Override
    public boolean verify(String encoded, String password) {
        if (encoded == null || password == null) {
            return false;
        }
        String[] parts = encoded.split("\\$");
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        try {
            int m = 0;
            int t = 0;
            int p = 0;
            for (String kv : parts[3].split(",")) {
                String[] e = kv.split("=", 2);
                int v = Integer.parseInt(e[1]);
                switch (e[0]) {
                    case "m" -> m = v;
                    case "t" -> t = v;
                    case "p" -> p = v;
                    default -> {
                        return false;
                    }
                }
            }
            if (m < 8 || m > 1 << 22 || t < 1 || t > 64 || p < 1 || p > 16) {
                return false;
            }
            byte[] salt = B64D.decode(parts[4]);
            byte[] expected = B64D.decode(parts[5]);
            byte[] actual = argon2.derive(password, salt, m, t, p, expected.length);
            padToCurrentCost(password, (long) m * t);
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    /**
     * Log-in checks an unknown email's password against a decoy hashed at the current cost, so that it costs what
     * checking a real account's does. A hash stored before the cost was raised is checked at its own, lower cost,
     * which took a fraction of the time (19 MiB × 2 raised to 64 MiB × 3: about 100 ms against 450 ms): a wrong
     * password told an account made before the raise from an unknown email. So a check of {@code work} (memory
     * KiB × passes, which Argon2id's time is proportional to) below the current cost's derives a throwaway hash of
     * the difference too, in no more memory than the current cost takes. A hash above the current cost (the cost
     * was lowered) is not evened out: it costs more, until its password is changed.
     */
    private void padToCurrentCost(String password, long work) {
        long missing = (long) memoryKib * iterations - work;
        if (missing <= 0) {
            return;
        }
        int passes = (int) ((missing + memoryKib - 1) / memoryKib);
        int memory = (int) Math.max(8, (missing + passes - 1) / passes);
        argon2.derive(password, PAD_SALT, memory, passes, 1, HASH_BYTES);
    }

    private static byte[] derive(String password, byte[] salt, int m, int t, int p, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(m).withIterations(t).withParallelism(p).withSalt(salt).build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(params);
        byte[] out = new byte[length];
        gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
