package org.opentrade.market.adapter.ws;

import java.util.Objects;
import org.opentrade.common.error.TraceIds;

/**
 * Who is on a stream connection, as the gateway established it before the upgrade reached market-api.
 *
 * @param keyId            the API key; subscriptions are counted per key across its connections on this instance
 * @param developerId      the key's owner (for logs)
 * @param maxSubscriptions the plan's limit of subscriptions per key (0: streams not allowed)
 * @param traceId          the upgrade request's trace id, carried by every error frame of the connection; a missing or
 *                         malformed one is replaced by a fresh random id
 */
public record StreamCaller(String keyId, String developerId, int maxSubscriptions, String traceId) {

    public StreamCaller {
        Objects.requireNonNull(keyId, "keyId");
        if (maxSubscriptions < 0) {
            throw new IllegalArgumentException("max subscriptions must not be negative, was " + maxSubscriptions);
        }
        if (!TraceIds.isValid(traceId)) {
            traceId = TraceIds.random();
        }
    }
}
