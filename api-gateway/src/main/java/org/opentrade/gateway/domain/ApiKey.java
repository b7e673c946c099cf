package org.opentrade.gateway.domain;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An API key as stored: never a secret, only what verifies one.
 *
 * @param id                 the public key id sent as {@code X-API-Key}
 * @param plan               the name of the key's {@link Plan}: its request-weight budget and order
 *                           rate. Set when the key is created (at most its developer's plan) and by an
 *                           administrator. A key stored before keys had plans has none on disk; every
 *                           {@code KeyRegistry} reads it as its developer's plan, so this is null only
 *                           for such a key whose developer no longer exists.
 * @param secretHashes       SECRET keys: hashes of the active secrets, newest first. During a
 *                           rotation's grace there are two or three (a rotation retried within the grace of
 *                           the one before); all but the first stop working at {@code previousSecretUntil}.
 *                           Empty for ED25519 keys.
 * @param previousSecretUntil epoch ms until which the earlier secret hashes are accepted (0: none)
 * @param publicKey          ED25519 keys: the X.509-encoded public key, base64; null for SECRET keys
 * @param allowedCidrs       client address ranges allowed to use the key; empty allows any
 * @param expiresAt          epoch ms after which the key stops working; 0 never expires
 * @param createdAt          epoch ms
 * @param revokedAt          epoch ms of the revocation (the first one: revocation is final); 0 for a key
 *                           that is not revoked, or was revoked before keys recorded the time
 */
public record ApiKey(String id, String developerId, String label, KeyType type, Set<Scope> scopes, String plan,
                     List<String> secretHashes, long previousSecretUntil, String publicKey,
                     List<String> allowedCidrs, long expiresAt, KeyStatus status, long createdAt, long revokedAt) {

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(developerId, "developerId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        label = label == null ? "" : label;
        scopes = Set.copyOf(scopes);
        secretHashes = List.copyOf(secretHashes);
        allowedCidrs = List.copyOf(allowedCidrs);
    }

    public ApiKey withStatus(KeyStatus value) {
        return new ApiKey(id, developerId, label, type, scopes, plan, secretHashes, previousSecretUntil, publicKey,
                allowedCidrs, expiresAt, value, createdAt, revokedAt);
    }

    public ApiKey withPlan(String value) {
        return new ApiKey(id, developerId, label, type, scopes, value, secretHashes, previousSecretUntil, publicKey,
                allowedCidrs, expiresAt, status, createdAt, revokedAt);
    }

    /**
     * This key as a write may store it over {@code stored}: revocation is final, so over a revoked key
     * it stays revoked (the rest of the write is kept). Every {@code KeyRegistry} applies this.
     */
    public ApiKey replacing(ApiKey stored) {
        if (stored == null || stored.status() != KeyStatus.REVOKED) {
            return this;
        }
        return status == KeyStatus.REVOKED && revokedAt == stored.revokedAt() ? this
                : revokedAt(KeyStatus.REVOKED, stored.revokedAt());
    }

    /**
     * Its owner's revocation at {@code nowMillis}: final, whatever the status (a killed key is revoked
     * too); a key revoked already keeps its first revocation time.
     */
    public ApiKey revoked(long nowMillis) {
        return status == KeyStatus.REVOKED ? this : revokedAt(KeyStatus.REVOKED, nowMillis);
    }

    private ApiKey revokedAt(KeyStatus value, long time) {
        return new ApiKey(id, developerId, label, type, scopes, plan, secretHashes, previousSecretUntil, publicKey,
                allowedCidrs, expiresAt, value, createdAt, time);
    }

    /** The administrator's kill switch: an active key is killed; a revoked one stays revoked. */
    public ApiKey killed() {
        return status == KeyStatus.ACTIVE ? withStatus(KeyStatus.KILLED) : this;
    }

    /** Lifting the kill switch: only a killed key becomes active again, never a revoked one. */
    public ApiKey unkilled() {
        return status == KeyStatus.KILLED ? withStatus(KeyStatus.ACTIVE) : this;
    }

    /** Earlier secrets a key keeps through a rotation's grace, at most. */
    public static final int MAX_PREVIOUS_SECRETS = 2;

    /**
     * A rotation at {@code now}: {@code newHash} becomes current; the current secret, and an earlier one still in
     * its grace, stay valid until {@code until} (at most {@link #MAX_PREVIOUS_SECRETS}). So a rotation retried
     * because its answer was lost keeps the secret the running clients use (it kept only the secret of the lost
     * answer, and ended theirs at once); {@code until <= now} ends every earlier secret at once.
     */
    public ApiKey rotated(String newHash, long until, long now) {
        List<String> hashes = new java.util.ArrayList<>(List.of(newHash));
        if (!secretHashes.isEmpty()) {
            hashes.add(secretHashes.get(0));
        }
        if (now < previousSecretUntil) {
            secretHashes.stream().skip(1).limit(MAX_PREVIOUS_SECRETS - 1).forEach(hashes::add);
        }
        return new ApiKey(id, developerId, label, type, scopes, plan, hashes, until, publicKey, allowedCidrs, expiresAt,
                status, createdAt, revokedAt);
    }
}
