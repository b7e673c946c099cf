package org.opentrade.sdk;

import java.net.http.HttpRequest;
import java.util.Objects;

/** A session token (JWT) sent as {@code Authorization: Bearer}; it expires 15 minutes after log-in (-2011). */
final class SessionCredentials implements Credentials {
    private final String token;

    SessionCredentials(String token) {
        this.token = Objects.requireNonNull(token, "token");
    }

    @Override
    public void apply(HttpRequest.Builder request, String method, String pathAndQuery, byte[] body) {
        request.setHeader("Authorization", "Bearer " + token);
    }

    @Override
    public String toString() {
        return "session"; // never the token
    }
}
