package org.opentrade.trade.adapter.http;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.opentrade.trade.port.FairlyBounded;

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
 * not its body, so an entry costs the answer and a few dozen bytes. The same rule ({@link FairlyBounded}) bounds
 * the answers' durable record, so what a restart refills is fair too.
 */
final class IdempotencyCache {
    record Answer(boolean conflict, int status, JsonObject body) {
    }

    private record Entry(byte[] fingerprint, int status, JsonObject body, long at) {
    }

    private final long ttlMs;
    private final FairlyBounded<Entry> entries;

    IdempotencyCache(int perAccount, int total, long ttlMs) {
        this.entries = new FairlyBounded<>(perAccount, total);
        this.ttlMs = ttlMs;
    }

    Answer get(String account, String key, String request, long now) {
        Entry e = entries.get(account, key);
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
        entries.dropOldestWhile(account, e -> now - e.at() > ttlMs);
        entries.put(account, key, new Entry(fingerprint.clone(), status, body.copy(), now));
    }

    /** Keys held, all accounts together. */
    int size() {
        return entries.size();
    }

    /** Keys held by {@code account}. */
    int size(String account) {
        return entries.size(account);
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
