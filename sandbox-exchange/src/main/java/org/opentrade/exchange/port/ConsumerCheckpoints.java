package org.opentrade.exchange.port;

import java.util.Map;

/** Where a shard keeps its durable consumers' checkpoints across restarts. Shard thread only. */
public interface ConsumerCheckpoints {

    /** The saved checkpoints, empty when none were saved. */
    Map<String, Long> load();

    /** Replaces the saved checkpoints atomically. */
    void save(Map<String, Long> checkpoints);

    /** Keeps them in memory only (no journal configured, tests). */
    static ConsumerCheckpoints inMemory() {
        return new ConsumerCheckpoints() {
            private volatile Map<String, Long> saved = Map.of();

            @Override
            public Map<String, Long> load() {
                return saved;
            }

            @Override
            public void save(Map<String, Long> checkpoints) {
                saved = Map.copyOf(checkpoints);
            }
        };
    }
}
