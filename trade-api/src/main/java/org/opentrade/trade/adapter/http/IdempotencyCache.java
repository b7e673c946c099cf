package org.opentrade.trade.adapter.http;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers of mutations (cancel, replace, cancel-all, reset) by {@code Idempotency-Key}, so a retry
 * gets the first answer instead of doing it again; the same key with another request is a conflict.
 * New orders do not need it: their keys are in the durable intent log. Kept for {@code ttlMs}, in memory,
 * refilled at start from {@link org.opentrade.trade.port.MutationAnswers}, where each answer is also recorded
 * (without it a restart forgot them, and a retried cancel answered "not open"). Single-threaded (the trade
 * context).
 *
 * <p><b>Bounded per account, and fairly in total.</b> Each account keeps at most {@code perAccount}
 * keys (its oldest go first), and all accounts together at most {@code total}. Past the total the
 * oldest key of the account holding the most goes, so one account's traffic (a developer sending
 * cancels with a new key each, which no rate limit slows) never evicts another account's keys while
 * that account holds fewer than it; an account keeps at least its share, {@code total} over the
 * accounts holding keys. A single shared least-recently-used map let any developer push every other
 * one's keys out in seconds, and their retried reset then ran twice. A request is kept by its digest,
 * not its body, so an entry costs the answer and a few dozen bytes.
 */
final class IdempotencyCache {
    record Answer(boolean conflict, int status, JsonObject body) {
    }

    private record Entry(byte[] fingerprint, int status, JsonObject body, long at) {
    }

    private final int perAccount;
    private final int total;
    private final long ttlMs;
    /** Per account, its keys oldest first (insertion order: a key is kept once, so oldest by time too). */
    private final Map<String, LinkedHashMap<String, Entry>> accounts = new HashMap<>();
    /** Accounts by how many keys they hold, to find the one holding the most. */
    private final TreeMap<Integer, LinkedHashSet<String>> bySize = new TreeMap<>();
    private int size;

    IdempotencyCache(int perAccount, int total, long ttlMs) {
        if (perAccount < 1 || total < perAccount) {
            throw new IllegalArgumentException("per account " + perAccount + ", total " + total);
        }
        this.perAccount = perAccount;
        this.total = total;
        this.ttlMs = ttlMs;
    }

    Answer get(String account, String key, String request, long now) {
        LinkedHashMap<String, Entry> keys = accounts.get(account);
        Entry e = keys == null ? null : keys.get(key);
        if (e == null || now - e.at() > ttlMs) {
            return null;
        }
        return Arrays.equals(e.fingerprint(), digest(request))
                ? new Answer(false, e.status(), e.body()) : new Answer(true, 0, null);
    }

    void put(String account, String key, String request, int status, JsonObject body, long now) {
        put(account, key, digest(request), status, body, now);
    }

    /** As {@link #put(String, String, String, int, JsonObject, long)} with the request's {@link #digest}. */
    void put(String account, String key, byte[] fingerprint, int status, JsonObject body, long now) {
        LinkedHashMap<String, Entry> keys = accounts.computeIfAbsent(account, a -> new LinkedHashMap<>());
        int before = keys.size();
        dropExpired(keys, now);
        keys.remove(key);
        keys.put(key, new Entry(fingerprint.clone(), status, body.copy(), now));
        if (keys.size() > perAccount) {
            Iterator<Entry> oldest = keys.values().iterator();
            oldest.next();
            oldest.remove();
        }
        size += keys.size() - before;
        resized(account, before, keys.size());
        while (size > total) {
            evictFromLargest();
        }
    }

    /** Keys held, all accounts together. */
    int size() {
        return size;
    }

    /** Keys held by {@code account}. */
    int size(String account) {
        LinkedHashMap<String, Entry> keys = accounts.get(account);
        return keys == null ? 0 : keys.size();
    }

    private void dropExpired(LinkedHashMap<String, Entry> keys, long now) {
        Iterator<Entry> it = keys.values().iterator();
        while (it.hasNext() && now - it.next().at() > ttlMs) {
            it.remove();
        }
    }

    private void evictFromLargest() {
        Map.Entry<Integer, LinkedHashSet<String>> largest = bySize.lastEntry();
        String account = largest.getValue().iterator().next();
        LinkedHashMap<String, Entry> keys = accounts.get(account);
        Iterator<Entry> oldest = keys.values().iterator();
        oldest.next();
        oldest.remove();
        size--;
        resized(account, keys.size() + 1, keys.size());
    }

    private void resized(String account, int from, int to) {
        if (from == to) {
            return;
        }
        if (from > 0) {
            LinkedHashSet<String> at = bySize.get(from);
            at.remove(account);
            if (at.isEmpty()) {
                bySize.remove(from);
            }
        }
        if (to > 0) {
            bySize.computeIfAbsent(to, n -> new LinkedHashSet<>()).add(account);
        } else {
            accounts.remove(account);
        }
    }

    /** What a request is kept by: the SHA-256 of what it is compared by. */
    static byte[] digest(String request) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(request.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
