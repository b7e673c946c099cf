package org.opentrade.market.domain.stream;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Every channel's {@link ChannelLog}, created on first use and only for channels the
 * {@link ChannelSource#check} accepts, so the map never grows with what callers send: at most one
 * log per valid channel (symbols × kinds). Logs are kept for the life of the process, so a client may
 * resume a channel nobody was subscribed to meanwhile.
 *
 * <p>Not thread-safe: the stream server's one owner thread calls it.
 */
public final class ChannelLogs<T> {
    private final ChannelSource<?> source;
    private final RetentionOptions retention;
    private final Map<String, ChannelLog<T>> logs = new HashMap<>();

    public ChannelLogs(ChannelSource<?> source, RetentionOptions retention) {
        this.source = Objects.requireNonNull(source, "source");
        this.retention = Objects.requireNonNull(retention, "retention");
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
        log = new ChannelLog<>(retention);
        logs.put(channel, log);
        return new Opened<>(log, null);
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
