package org.opentrade.gateway.port;

/**
 * A slow, salted password KDF. Both methods are CPU-heavy by design (tens of milliseconds): call
 * them off the event loop.
 */
public interface PasswordHasher {

    /** An encoded hash carrying its algorithm, parameters and salt. */
    String hash(String password);

    /** Whether {@code password} matches {@code encoded}; false for anything malformed. Constant-time compare. */
    boolean verify(String encoded, String password);
}
