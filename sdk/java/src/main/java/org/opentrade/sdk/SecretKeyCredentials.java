package org.opentrade.sdk;

import java.net.http.HttpRequest;
import java.util.Objects;

/** A secret key: its id and secret sent as headers with every request (over TLS in production). */
final class SecretKeyCredentials implements Credentials {
    private final String keyId;
    private final String secret;

    SecretKeyCredentials(String keyId, String secret) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    @Override
    public void apply(HttpRequest.Builder request, String method, String pathAndQuery, byte[] body) {
        request.setHeader("X-API-Key", keyId).setHeader("X-API-Secret", secret);
    }

    @Override
    public String toString() {
        return "secret key " + keyId; // never the secret
    }
}
