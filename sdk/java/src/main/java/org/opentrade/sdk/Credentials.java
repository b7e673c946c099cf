package org.opentrade.sdk;

import java.net.http.HttpRequest;
import java.security.PrivateKey;

/**
 * How a request proves who sends it: a secret key, an Ed25519 key (each request signed, the private
 * key never sent), or a portal session (JWT). Applied to every attempt of every request, so a retry
 * is signed afresh (the gateway accepts each signed request once only).
 *
 * <p>Implementations are immutable or thread-safe: one instance serves every thread of a client.
 */
public interface Credentials {

    /**
     * Adds the authentication headers for one attempt.
     *
     * @param request the request builder, its URI and method already set
     * @param method the upper-case HTTP method
     * @param pathAndQuery the raw path and query exactly as sent (e.g. {@code /v1/orders?symbol=600000.SH})
     * @param body the exact body bytes sent (empty when none)
     */
    void apply(HttpRequest.Builder request, String method, String pathAndQuery, byte[] body);

    /** An API key of type {@code secret}: {@code X-API-Key} and {@code X-API-Secret} on every request. */
    static Credentials secretKey(String keyId, String secret) {
        return new SecretKeyCredentials(keyId, secret);
    }

    /** An API key of type {@code ed25519}: every request signed with the private key. */
    static Credentials ed25519(String keyId, PrivateKey privateKey) {
        return new Ed25519Credentials(keyId, privateKey, System::currentTimeMillis);
    }

    /**
     * An API key of type {@code ed25519} whose private key is given as base64 PKCS#8 DER (the
     * {@code -----BEGIN PRIVATE KEY-----} body, without the armour lines).
     */
    static Credentials ed25519(String keyId, String pkcs8Base64) {
        return ed25519(keyId, Ed25519Credentials.privateKeyFromPkcs8(pkcs8Base64));
    }

    /** A session token from {@code POST /v1/sessions}, used as is until it expires. */
    static Credentials session(String token) {
        return new SessionCredentials(token);
    }

    /** No credentials: sign-up, log-in and the health endpoints. */
    static Credentials none() {
        return (request, method, pathAndQuery, body) -> { };
    }
}
