package org.opentrade.gateway.domain;

import java.util.Optional;

/**
 * The checks of a key whose credential has verified, in the order the gateway applies them. The
 * credential is checked first so that only a holder of the key learns its status. Each failure has
 * its own error so a client can tell "revoked" from "expired" from "wrong address".
 */
public final class KeyChecks {

    private KeyChecks() {
    }

    /**
     * @param clientAddress the caller's address bytes, or null when unknown (then an allow-list refuses)
     */
    public static Optional<GatewayError> check(ResolvedKey resolved, Developer developer, long nowMillis,
                                               byte[] clientAddress) {
        ApiKey key = resolved.key();
        if (developer == null || developer.suspended()) {
            return Optional.of(GatewayError.DEVELOPER_SUSPENDED);
        }
        if (key.status() == KeyStatus.KILLED) {
            return Optional.of(GatewayError.KEY_KILLED);
        }
        if (key.status() == KeyStatus.REVOKED) {
            return Optional.of(GatewayError.KEY_REVOKED);
        }
        if (key.expiresAt() > 0 && nowMillis >= key.expiresAt()) {
            return Optional.of(GatewayError.KEY_EXPIRED);
        }
        // Against the ranges parsed when the key was loaded: no parsing per request.
        if (!key.allowedCidrs().isEmpty() && !Cidr.anyContains(resolved.allowList(), clientAddress)) {
            return Optional.of(GatewayError.IP_NOT_ALLOWED);
        }
        return Optional.empty();
    }

    /** Whether the signed request's timestamp (epoch ms) is within ±window of now. */
    public static boolean timestampInWindow(long timestampMillis, long nowMillis, long windowMillis) {
        return Math.abs(nowMillis - timestampMillis) <= windowMillis;
    }
}
