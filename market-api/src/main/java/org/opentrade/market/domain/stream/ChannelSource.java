package org.opentrade.market.domain.stream;

import java.util.Optional;

/**
 * What the stream server needs to know about channels, implemented by the wiring from the live
 * market state. Called on the one thread that also applies the exchange feed, so a snapshot and the
 * channel's head seq describe the same moment.
 *
 * @param <T> the payload type of the adapter (market-api's WebSocket adapter: Vert.x {@code JsonObject})
 */
public interface ChannelSource<T> {

    /**
     * Why {@code channel} cannot be streamed (malformed name, unknown symbol, bad interval), or empty
     * when it can. It must depend on the channel name only, never on the caller: one log per accepted
     * channel is shared by everybody, so the set of channels (and the memory they hold) is bounded by
     * symbols × kinds, whatever callers send. {@link StreamChannel#check} does the syntax.
     */
    Optional<String> check(String channel);

    /**
     * The channel's current state for a fresh subscriber, consistent with every message published so
     * far and none after: depth the full book, quotes the current quote, klines the live bar; null
     * when the channel has no state (trades), and then no snapshot is sent.
     */
    T snapshot(String channel);
}
