package org.opentrade.gateway.domain;

import java.util.Objects;

/**
 * A developer account. {@code passwordHash} is an encoded Argon2id hash (salt and parameters
 * inside), never the password. {@code plan} names a {@link Plan}. Immutable; changes make copies.
 *
 * @param createdAt         epoch milliseconds
 * @param sessionGeneration the generation of the developer's portal sessions: each session token carries the
 *                          generation it was issued in and is valid only while it is the current one, so a
 *                          password change or reset, logging out everywhere, or a suspension ends every earlier session
 *                          (and unused password-reset tokens) at once
 */
public record Developer(String id, String email, String name, String passwordHash, String plan, boolean suspended,
                        long createdAt, int sessionGeneration) {

    public Developer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(plan, "plan");
    }

    /**
     * Suspended or not. A suspension also ends every session (and unused reset token) issued so far, so lifting it
     * does not bring back the sessions of whoever the account was suspended for; lifting one changes nothing else.
     */
    public Developer withSuspended(boolean value) {
        int generation = value && !suspended ? sessionGeneration + 1 : sessionGeneration;
        return new Developer(id, email, name, passwordHash, plan, value, createdAt, generation);
    }

    public Developer withPlan(String value) {
        return new Developer(id, email, name, passwordHash, value, suspended, createdAt, sessionGeneration);
    }

    /** The password replaced by {@code hash}; every session (and reset token) issued before ends. */
    public Developer withPassword(String hash) {
        return new Developer(id, email, name, hash, plan, suspended, createdAt, sessionGeneration + 1);
    }

    /** Every session (and reset token) issued so far ends: logging out everywhere. */
    public Developer withSessionsEnded() {
        return new Developer(id, email, name, passwordHash, plan, suspended, createdAt, sessionGeneration + 1);
    }
}
