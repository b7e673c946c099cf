package org.opentrade.common.identity;

import java.util.Objects;

/**
 * The outcome of {@link AssertionVerifier#verify}: the asserted identity, or why there is none.
 * Exactly one of {@link #identity()} and {@link #failure()} is non-null.
 */
public record Verification(CallerIdentity identity, Failure failure) {

    /** Why an assertion was refused. Every one of them is answered with {@link IdentityAssertions#ERROR_NO}. */
    public enum Failure {
        MISSING("no identity assertion: call through the gateway"),
        TOO_LONG("the identity assertion is longer than " + IdentityAssertions.MAX_TOKEN_LENGTH + " characters"),
        MALFORMED("the identity assertion is malformed"),
        UNSUPPORTED_VERSION("the identity assertion has an unsupported version"),
        UNKNOWN_KEY("the identity assertion was signed by a key this service does not trust"),
        BAD_SIGNATURE("the identity assertion's signature does not verify"),
        WRONG_AUDIENCE("the identity assertion is for another service"),
        EXPIRED("the identity assertion has expired"),
        NOT_YET_VALID("the identity assertion is not valid yet (clocks too far apart?)");

        private final String message;

        Failure(String message) {
            this.message = message;
        }

        /** A human-readable sentence for the error model's {@code error}. */
        public String message() {
            return message;
        }
    }

    public Verification {
        if ((identity == null) == (failure == null)) {
            throw new IllegalArgumentException("exactly one of identity and failure must be set");
        }
    }

    public static Verification ok(CallerIdentity identity) {
        return new Verification(Objects.requireNonNull(identity, "identity"), null);
    }

    public static Verification failed(Failure failure) {
        return new Verification(null, Objects.requireNonNull(failure, "failure"));
    }

    public boolean valid() {
        return identity != null;
    }
}
