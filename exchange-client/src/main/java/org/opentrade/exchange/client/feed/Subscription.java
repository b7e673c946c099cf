package org.opentrade.exchange.client.feed;

/** A live subscription of {@link FeedTransport#subscribe}. */
@FunctionalInterface
public interface Subscription {
    /** Stops the deliveries; idempotent. A batch already on its way may still arrive. */
    void cancel();
}
