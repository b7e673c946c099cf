package org.opentrade.common.identity;

import java.util.Objects;
import java.util.Set;

/**
 * Who a request is for, as the gateway asserts it to an upstream service after authenticating the
 * caller. Immutable; thread-safe.
 *
 * @param developerId the developer the call acts for; never empty
 * @param keyId       the API key used, or null for a portal session (JWT)
 * @param scopes      wire names of what the call may do ({@code market:read}, {@code trade}, {@code fix})
 * @param plan        the plan name that limits the call ({@code free}, {@code pro}, ...)
 * @param traceId     the trace id of the request the assertion was made for, or null when the
 *                    assertion is shared by several requests (the gateway's case: see
 *                    {@link IdentityAssertions}); services take the trace from {@code traceparent}
 * @param issuedAtMs  epoch ms when the assertion was signed
 * @param expiresAtMs epoch ms after which it is refused (plus the verifier's clock skew)
 */
public record CallerIdentity(String developerId, String keyId, Set<String> scopes, String plan, String traceId,
                             long issuedAtMs, long expiresAtMs) {

    public CallerIdentity {
        if (developerId == null || developerId.isEmpty()) {
            throw new IllegalArgumentException("developerId must not be empty");
        }
        Objects.requireNonNull(plan, "plan");
        scopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
        if (expiresAtMs <= issuedAtMs) {
            throw new IllegalArgumentException("expiresAtMs (" + expiresAtMs + ") must be after issuedAtMs ("
                    + issuedAtMs + ")");
        }
    }

    /** Whether the call may do what {@code scope} (a wire name such as {@code trade}) allows. */
    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** True for a portal session (no API key). */
    public boolean isSession() {
        return keyId == null;
    }
}
