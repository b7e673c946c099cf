package org.opentrade.gateway.adapter.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hasher's contract and what a check costs. Cost is asserted as the Argon2id work asked for (memory × passes,
 * which is what its time is proportional to), not as measured time: {@link Recording} stands in for Argon2id.
 */
class Argon2idPasswordHasherTest {
    /** A stand-in for Argon2id that records each derivation's parameters; deterministic, so hashes verify. */
    private static final class Recording implements Argon2idPasswordHasher.Derivation {
        final List<int[]> calls = new ArrayList<>();

        @Override
        public byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
            calls.add(new int[] {memoryKib, iterations, parallelism});
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(password.getBytes(StandardCharsets.UTF_8));
                sha.update(salt);
                sha.update((memoryKib + "," + iterations + "," + parallelism).getBytes(StandardCharsets.US_ASCII));
                byte[] out = new byte[length];
                System.arraycopy(sha.digest(), 0, out, 0, Math.min(length, 32));
                return out;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        long work() {
            return calls.stream().mapToLong(c -> (long) c[0] * c[1]).sum();
        }

        int peakMemoryKib() {
            return calls.stream().mapToInt(c -> c[0]).max().orElse(0);
        }
    }

    @Test
    void aPasswordVerifiesAgainstItsHashAndNoOtherPasswordDoes() {
        Argon2idPasswordHasher hasher = new Argon2idPasswordHasher(64, 1, 1); // real Argon2id, at a test's cost
        String encoded = hasher.hash("correct horse");
        assertTrue(encoded.startsWith("$argon2id$v=19$m=64,t=1,p=1$"), encoded);
        assertTrue(hasher.verify(encoded, "correct horse"));
        assertFalse(hasher.verify(encoded, "correct horse!"));
        assertFalse(hasher.verify("$argon2id$v=19$m=64,t=1,p=1$bad", "correct horse"));
    }

    @Test
    void aHashMadeBeforeACostRaiseStillVerifies() {
        String before = new Argon2idPasswordHasher(64, 1, 1).hash("correct horse");
        Argon2idPasswordHasher raised = new Argon2idPasswordHasher(128, 2, 1);
        assertTrue(raised.verify(before, "correct horse"));
        assertFalse(raised.verify(before, "wrong"));
    }

    /**
     * Log-in checks an unknown email's password against a decoy hashed at the current cost. A hash stored before
     * the cost was raised was checked at its own, lower cost: a wrong password for such an account answered in
     * a fraction of the time (with 19 MiB × 2 raised to 64 MiB × 3, about 100 ms against 450 ms), telling
     * which emails have accounts. Every check now costs at least the current cost, in no more memory.
     */
    @Test
    void aWrongPasswordForAHashMadeBeforeACostRaiseCostsWhatAnUnknownEmailsDecoyCosts() {
        Recording argon2 = new Recording();
        String beforeRaise = new Argon2idPasswordHasher(19_456, 2, 1, argon2).hash("correct horse");
        Argon2idPasswordHasher current = new Argon2idPasswordHasher(65_536, 3, 1, argon2);
        String decoy = current.hash("a decoy secret");

        argon2.calls.clear();
        assertFalse(current.verify(decoy, "guess"));
        long unknownEmail = argon2.work();
        assertEquals(65_536L * 3, unknownEmail);

        argon2.calls.clear();
        assertFalse(current.verify(beforeRaise, "guess"));
        long knownAccount = argon2.work();
        assertTrue(Math.abs(knownAccount - unknownEmail) <= unknownEmail / 1_000,
                "work " + knownAccount + " KiB-passes for the account made before the raise, " + unknownEmail
                        + " for an unknown email");
        assertTrue(argon2.peakMemoryKib() <= 65_536, "peak memory " + argon2.peakMemoryKib() + " KiB");

        argon2.calls.clear();
        assertTrue(current.verify(beforeRaise, "correct horse"));
        assertTrue(Math.abs(argon2.work() - unknownEmail) <= unknownEmail / 1_000, "the right password: the same work");
    }

    @Test
    void aHashAtTheCurrentCostIsCheckedOnceWithNothingAdded() {
        Recording argon2 = new Recording();
        Argon2idPasswordHasher current = new Argon2idPasswordHasher(4_096, 3, 1, argon2);
        String encoded = current.hash("correct horse");
        argon2.calls.clear();
        assertTrue(current.verify(encoded, "correct horse"));
        assertEquals(1, argon2.calls.size());
        assertEquals(4_096L * 3, argon2.work());
    }
}
