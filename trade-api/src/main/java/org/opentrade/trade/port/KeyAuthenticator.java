package org.opentrade.trade.port;

import java.util.concurrent.CompletionStage;

/**
 * Checks an API key id and secret for a scope (the FIX acceptor's logon) against the key store,
 * which trade-api does not own: the gateway does. The stage completes on any thread with the
 * answer; it fails only when no answer came (timeout, nobody listening).
 */
public interface KeyAuthenticator {
    /** The gateway's answer: {@code ok} with the developer and key ids, or not with the reason. */
    record Result(boolean ok, String developerId, String keyId, String reason) {
        public static Result accepted(String developerId, String keyId) {
            return new Result(true, developerId, keyId, null);
        }

        public static Result refused(String reason) {
            return new Result(false, null, null, reason);
        }
    }

    /** @param scope the scope the key must carry ({@code "fix"}) */
    CompletionStage<Result> authenticate(String keyId, String secret, String scope);
}
