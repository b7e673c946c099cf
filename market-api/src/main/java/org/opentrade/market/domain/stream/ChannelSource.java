package org.opentrade.market.domain.stream;

import java.util.List;
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

    /**
     * What a client that missed messages this process cannot replay (another instance's or an earlier
     * process's seq, or messages no longer kept) needs besides {@link #snapshot} to lose nothing the missed
     * messages told within the last {@code withinMs}: messages sent, oldest first, before the flagged
     * snapshot. Klines: the bar that closed within that time (a close is final, and the snapshot is only the
     * live bar). Empty by default: the snapshot of quotes and depth is the whole state, and trades resume by
     * their own numbers ({@link #origin}).
     */
    default List<T> missed(String channel, long withinMs) {
        return List.of();
    }

    /**
     * For a channel whose seqs the data itself defines, the same in every process that follows the
     * exchange feed (trades: the exchange's count of the symbol's trades): where its numbering stands
     * when this process opens it, with the newest messages before that it can still vouch for, so a
     * client of another instance (or of this one before a restart) resumes here exactly. Null for a
     * channel this process numbers from 1 (the default).
     */
    default Origin<T> origin(String channel) {
        return null;
    }

    /**
     * A source-numbered channel's start: {@code head} is the seq of the newest message so far;
     * {@code recent} the messages just before it, oldest first, numbered {@code head - recent.size() + 1}
     * to {@code head}, each with the time it happened ({@code times}, epoch ms) for retention.
     */
    record Origin<T>(long head, List<T> recent, long[] times) {
        public Origin {
            if (head < 0 || recent.size() > head || times.length != recent.size()) {
                throw new IllegalArgumentException("origin at " + head + " with " + recent.size() + " messages and "
                        + times.length + " times");
            }
            recent = List.copyOf(recent);
            times = times.clone();
        }
    }
}
