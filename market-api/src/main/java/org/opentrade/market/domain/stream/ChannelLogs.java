package org.opentrade.market.domain.stream;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every channel's {@link ChannelLog}, created on first use and only for channels the
 * {@link ChannelSource#check} accepts, so the map never grows with what callers send: at most one
 * log per valid channel (symbols × kinds). A channel the source numbers itself ({@link ChannelSource#origin})
 * starts at its origin's head with its recent messages, and its log is {@link ChannelLog#stable}. Logs are kept for the life of the process, so a client may
 * resume a channel nobody was subscribed to meanwhile.
 *
 * <p>Not thread-safe: the stream server's one owner thread calls it.
 */
public final class ChannelLogs<T> {
    private final ChannelSource<?> source;
    private final Function<String, ChannelLog<T>> factory;
    private final Map<String, ChannelLog<T>> logs = new HashMap<>();

    /** Logs that keep the source's messages as they are. */
    public ChannelLogs(ChannelSource<T> source, RetentionOptions retention) {
        this(source, retention, (channel, seq, message) -> message);
    }

    /** Logs that keep what {@code encoder} makes of the source's messages (the recent ones of an origin). */
    public <S> ChannelLogs(ChannelSource<S> source, RetentionOptions retention, Encoder<S, T> encoder) {
        this.source = Objects.requireNonNull(source, "source");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(encoder, "encoder");
        this.factory = channel -> newLog(source, retention, encoder, channel);
    }

    /** The channel's log, created if the source accepts the channel; else why not. */
    public Opened<T> open(String channel) {
        ChannelLog<T> log = logs.get(channel);
        if (log != null) {
            return new Opened<>(log, null);
        }
        if (channel == null) {
            return new Opened<>(null, "channel is null");
        }
        Optional<String> problem = source.check(channel);
        if (problem.isPresent()) {
            return new Opened<>(null, problem.get());
        }
        log = factory.apply(channel);
        logs.put(channel, log);
        return new Opened<>(log, null);
    }

    /**
     * Why {@link #open} would refuse {@code channel}, or null when it would give a log; creates nothing, so a
     * caller can check a channel before deciding whether it may have one.
     */
    public String refusal(String channel) {
        if (channel == null) {
            return "channel is null";
        }
        return logs.containsKey(channel) ? null : source.check(channel).orElse(null);
    }

    /**
     * A log numbered by this process, or, for a channel the source numbers, from its origin (each recent
     * message encoded with its seq).
     */
    private static <S, T> ChannelLog<T> newLog(ChannelSource<S> source, RetentionOptions retention,
                                               Encoder<S, T> encoder, String channel) {
        ChannelSource.Origin<S> origin = source.origin(channel);
        if (origin == null) {
            return new ChannelLog<>(retention);
        }
        List<S> recent = origin.recent();
        long first = origin.head() - recent.size() + 1;
        ChannelLog<T> log = new ChannelLog<>(retention, first - 1, true);
        for (int i = 0; i < recent.size(); i++) {
            log.append(encoder.encode(channel, first + i, recent.get(i)), origin.times()[i]);
        }
        return log;
    }

    /** How a source's message is kept in a log, given its channel and seq (e.g. encoded as a frame). */
    @FunctionalInterface
    public interface Encoder<S, T> {
        T encode(String channel, long seq, S message);
    }

    /** The channel's log if it was ever opened, else null (no check, nothing created). */
    public ChannelLog<T> find(String channel) {
        return logs.get(channel);
    }

    /** How many channels have a log. */
    public int size() {
        return logs.size();
    }

    /** Either a log or the reason there is none. */
    public record Opened<T>(ChannelLog<T> log, String error) {
        public boolean ok() {
            return log != null;
        }
    }
}
