package org.opentrade.trade.adapter.http;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers of mutations (cancel, replace, cancel-all, reset) by {@code Idempotency-Key}, so a retry
 * gets the first answer instead of doing it again; the same key with another request is a conflict.
 * New orders do not need it: their keys are in the durable intent log. Bounded (least recently used
 * entries go first) and kept for {@code ttlMs}; in memory only, so a restart forgets them (a retried
 * cancel then answers "not open", which is what happened). Single-threaded (the trade context).
 */
final class IdempotencyCache {
    record Answer(boolean conflict, int status, JsonObject body) {
    }

    private record Entry(String fingerprint, int status, JsonObject body, long at) {
    }

    private final int capacity;
    private final long ttlMs;
    private final LinkedHashMap<String, Entry> entries;

    IdempotencyCache(int capacity, long ttlMs) {
        this.capacity = capacity;
        this.ttlMs = ttlMs;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > IdempotencyCache.this.capacity;
            }
        };
    }

    Answer get(String account, String key, String fingerprint, long now) {
        Entry e = entries.get(account + "\u0000" + key);
        if (e == null || now - e.at() > ttlMs) {
            return null;
        }
        return e.fingerprint().equals(fingerprint) ? new Answer(false, e.status(), e.body()) : new Answer(true, 0, null);
    }

    void put(String account, String key, String fingerprint, int status, JsonObject body, long now) {
        entries.put(account + "\u0000" + key, new Entry(fingerprint, status, body.copy(), now));
    }
}
