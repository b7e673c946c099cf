package org.opentrade.gateway.domain;

import java.util.Objects;

/**
 * A developer account. {@code passwordHash} is an encoded Argon2id hash (salt and parameters
 * inside), never the password. {@code plan} names a {@link Plan}. Immutable; changes make copies.
 *
 * @param createdAt epoch milliseconds
 */
public record Developer(String id, String email, String name, String passwordHash, String plan, boolean suspended,
                        long createdAt) {

    public Developer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(plan, "plan");
    }

    public Developer withSuspended(boolean value) {
        return new Developer(id, email, name, passwordHash, plan, value, createdAt);
    }

    public Developer withPlan(String value) {
        return new Developer(id, email, name, passwordHash, value, suspended, createdAt);
    }
}
