package org.opentrade.gateway.port;

import java.util.concurrent.CompletionStage;

/**
 * Remembers signatures of signed (Ed25519) requests for the replay window, shared by every gateway
 * in the Redis adapter, so a captured request cannot be sent twice.
 */
public interface ReplayGuard {

    /**
     * Completes with true the first time {@code signature} is seen, false on every later call until
     * {@code ttlMillis} has passed. Atomic across gateways sharing the store.
     */
    CompletionStage<Boolean> firstUse(String signature, long ttlMillis);

    CompletionStage<Void> close();
}
