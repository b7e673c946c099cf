package org.opentrade.exchange.domain.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The interest set of one shard's event history: each registered durable consumer and the sequence
 * it has checkpointed. Events after the lowest checkpoint are kept (within the lag cap).
 *
 * <p>Thread-safe: checkpoints arrive from the feed endpoint, the shard thread reads the minimum.
 * Bounded: at most {@code maxConsumers} names, each a short token, so callers cannot grow it.
 */
public final class DurableConsumers {
    /** Consumer names: 1..64 of {@code [A-Za-z0-9._-]}. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** What a checkpoint call did. */
    public enum Outcome { ACCEPTED, BAD_NAME, BAD_SEQ, TOO_MANY }

    private final int maxConsumers;
    private final ConcurrentHashMap<String, Long> checkpoints = new ConcurrentHashMap<>();
    private volatile boolean dirty;

    public DurableConsumers(int maxConsumers) {
        if (maxConsumers < 1) {
            throw new IllegalArgumentException("maxConsumers must be >= 1, got " + maxConsumers);
        }
        this.maxConsumers = maxConsumers;
    }

    /**
     * Records that {@code name} has every event up to {@code seq} (registering it on first use). A
     * checkpoint never moves a consumer back: a late, reordered call is ignored.
     */
    public synchronized Outcome checkpoint(String name, long seq, long headSeq) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Outcome.BAD_NAME;
        }
        if (seq < 0 || seq > headSeq) {
            return Outcome.BAD_SEQ;
        }
        if (!checkpoints.containsKey(name) && checkpoints.size() >= maxConsumers) {
            return Outcome.TOO_MANY;
        }
        checkpoints.merge(name, seq, Math::max);
        dirty = true;
        return Outcome.ACCEPTED;
    }

    /** Forgets a consumer; true when it was registered. */
    public synchronized boolean unregister(String name) {
        boolean removed = name != null && checkpoints.remove(name) != null;
        dirty |= removed;
        return removed;
    }

    /** Lowest checkpoint, or {@code Long.MAX_VALUE} when nobody is registered. */
    public long minCheckpoint() {
        long min = Long.MAX_VALUE;
        for (long s : checkpoints.values()) {
            min = Math.min(min, s);
        }
        return min;
    }

    /** Drops consumers more than {@code maxLag} events behind {@code headSeq}; returns their names. */
    public synchronized List<String> dropLaggards(long headSeq, long maxLag) {
        List<String> dropped = new ArrayList<>();
        checkpoints.forEach((name, seq) -> {
            if (headSeq - seq > maxLag) {
                dropped.add(name);
            }
        });
        dropped.forEach(checkpoints::remove);
        dirty |= !dropped.isEmpty();
        return dropped;
    }

    /** A sorted copy, for persistence and metrics. */
    public Map<String, Long> view() {
        return new TreeMap<>(checkpoints);
    }

    /** Loads persisted checkpoints (start-up only). */
    public synchronized void restore(Map<String, Long> saved) {
        saved.forEach((name, seq) -> {
            if (NAME.matcher(name).matches() && seq >= 0 && checkpoints.size() < maxConsumers) {
                checkpoints.put(name, seq);
            }
        });
    }

    /**
     * Takes the leader's checkpoints as they stand (a standby's copy, refreshed every second), so that after a
     * takeover the new leader keeps the history its consumers still need. Invalid entries are skipped; at most
     * the configured number are kept. Marks the set changed when it differs.
     */
    public synchronized void mirror(Map<String, Long> leader) {
        Map<String, Long> valid = new TreeMap<>();
        leader.forEach((name, seq) -> {
            if (name != null && NAME.matcher(name).matches() && seq != null && seq >= 0 && valid.size() < maxConsumers) {
                valid.put(name, seq);
            }
        });
        if (!valid.equals(new TreeMap<>(checkpoints))) {
            checkpoints.clear();
            checkpoints.putAll(valid);
            dirty = true;
        }
    }

    /** True once since the last call if anything changed (so the owner persists only then). */
    public boolean takeDirty() {
        boolean d = dirty;
        dirty = false;
        return d;
    }

    public int size() {
        return checkpoints.size();
    }
}
