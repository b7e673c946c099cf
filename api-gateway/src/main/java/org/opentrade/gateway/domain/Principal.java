package org.opentrade.gateway.domain;

import java.util.Set;

/**
 * Who is calling, once authenticated: a developer through one of their API keys, or through a
 * portal session (JWT), which may do everything the developer may.
 *
 * @param keyId  the key used; null for a session
 * @param scopes what this call may do (a session holds every scope)
 * @param plan   what limits this call: the key's own plan, or the developer's plan for a session
 */
public record Principal(String developerId, String keyId, Set<Scope> scopes, Plan plan) {

    public static Principal session(String developerId, Plan plan) {
        return new Principal(developerId, null, Set.of(Scope.values()), plan);
    }

    public boolean isSession() {
        return keyId == null;
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    /** What usage is counted under and what the weight limit is per: the key, else the developer's session. */
    public String meterId() {
        return keyId != null ? keyId : "session:" + developerId;
    }
}
