package org.opentrade.gateway.port;

import java.util.concurrent.CompletionStage;

/**
 * Remembers signed (Ed25519) requests for the replay window, shared by every gateway in the Redis
 * adapter, so a captured request cannot be sent twice. The gateway hands it an id of the key and the
 * signed message (not the signature text, which has more than one spelling) and how long to keep it. It also
 * remembers the portal sessions logged out one by one, until they would have ended anyway.
 */
public interface ReplayGuard {

    /**
     * Completes with true the first time {@code signature} is seen, false on every later call until
     * {@code ttlMillis} has passed. Atomic across gateways sharing the store.
     */
    CompletionStage<Boolean> firstUse(String signature, long ttlMillis);

    /**
     * Whether {@code id} was recorded by {@link #firstUse} and its time has not passed: a lookup that records
     * nothing (a portal session logged out is recorded here until it could have ended anyway).
     */
    CompletionStage<Boolean> recorded(String id);

    CompletionStage<Void> close();
}
