package org.opentrade.gateway.adapter.http;

/**
 * Who may call a route, and so what the authentication filter asks for and what a 401 names in
 * {@code WWW-Authenticate} (RFC 9110 §11.6.1). {@code ApiKey} stands for {@code X-API-Key} with
 * {@code X-API-Secret} or a signature, {@code AdminToken} for {@code X-Admin-Token}.
 */
public enum Access {
    /** Anyone (sign-up, log-in): no credential is read. */
    PUBLIC("Bearer realm=\"opentrade\""),
    /** An API key or a portal session: the API and the metering routes. */
    KEY_OR_SESSION("Bearer realm=\"opentrade\", ApiKey realm=\"opentrade\""),
    /** A portal session only: key management and the developer's own record (a key cannot mint keys). */
    SESSION("Bearer realm=\"opentrade\""),
    /** The administrator's token. */
    ADMIN("AdminToken realm=\"opentrade\"");

    private final String challenge;

    Access(String challenge) {
        this.challenge = challenge;
    }

    /** The {@code WWW-Authenticate} value of a 401 on a route with this access. */
    public String challenge() {
        return challenge;
    }

    /** Whether a caller of such a route is a {@code Principal} with a request budget. */
    public boolean identifiesCaller() {
        return this == KEY_OR_SESSION || this == SESSION;
    }
}
