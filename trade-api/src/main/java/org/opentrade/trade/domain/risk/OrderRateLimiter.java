package org.opentrade.trade.domain.risk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Orders per account per second, as an exact sliding window: an account may send at most
 * {@code maxPerSecond} orders in any window of {@value #WINDOW_MS} ms (an order sent at {@code t}
 * counts while {@code now - t < 1000}). Unlike a token bucket it never lets a burst of twice the limit
 * through across a refill boundary.
 *
 * <p>Memory is bounded twice: per account a ring of {@code maxPerSecond} timestamps; and at most
 * {@code maxAccounts} accounts, beyond which the least recently active account is forgotten (it then
 * starts with an empty window: at worst one extra second's worth of orders for an account that was
 * idle longer than every other tracked one).
 *
 * <p>Time is passed in (the caller reads the clock at the edge). A clock that steps back is treated
 * as standing still for that account, so it cannot reopen a full window.
 *
 * <p>Single-threaded (the trade context): no locks.
 */
public final class OrderRateLimiter {
    /** The window length. */
    public static final long WINDOW_MS = 1_000;

    private final int maxPerSecond;
    private final Map<String, Window> windows;

    public OrderRateLimiter(int maxPerSecond, int maxAccounts) {
        if (maxPerSecond <= 0 || maxAccounts <= 0) {
            throw new IllegalArgumentException("OrderRateLimiter: maxPerSecond and maxAccounts must be positive, were "
                    + maxPerSecond + " and " + maxAccounts);
        }
        this.maxPerSecond = maxPerSecond;
        // Access order: the eldest entry is the least recently checked or recorded account.
        this.windows = new LinkedHashMap<>(Math.min(maxAccounts, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > maxAccounts;
            }
        };
    }

    /** The limit per window. */
    public int maxPerSecond() {
        return maxPerSecond;
    }

    /** Orders of {@code account} in the window ending at {@code nowMs}. */
    public int inWindow(String account, long nowMs) {
        Window w = windows.get(account);
        return w == null ? 0 : w.expire(nowMs);
    }

    /** Whether one more order at {@code nowMs} stays within the limit. Does not count it. */
    public boolean allows(String account, long nowMs) {
        return inWindow(account, nowMs) < maxPerSecond;
    }

    /** Counts one order of {@code account} at {@code nowMs} (whether or not it was allowed). */
    public void record(String account, long nowMs) {
        windows.computeIfAbsent(account, a -> new Window(maxPerSecond)).add(nowMs);
    }

    /** {@link #allows} and, when allowed, {@link #record}. */
    public boolean tryAcquire(String account, long nowMs) {
        if (!allows(account, nowMs)) {
            return false;
        }
        record(account, nowMs);
        return true;
    }

    /** Milliseconds until one more order would be allowed (0 = now). */
    public long retryAfterMs(String account, long nowMs) {
        Window w = windows.get(account);
        if (w == null || w.expire(nowMs) < maxPerSecond) {
            return 0;
        }
        return w.oldest() + WINDOW_MS - w.now(nowMs);
    }

    /** Accounts currently remembered (at most {@code maxAccounts}). */
    public int trackedAccounts() {
        return windows.size();
    }

    /** One account's timestamps in the window, oldest first, in a ring. */
    private static final class Window {
        private final long[] times;
        private int head;
        private int size;
        private long latest = Long.MIN_VALUE;

        Window(int capacity) {
            times = new long[capacity];
        }

        /** {@code nowMs}, but never before a time already seen. */
        long now(long nowMs) {
            return Math.max(nowMs, latest);
        }

        /** Drops the timestamps that left the window; returns how many remain. */
        int expire(long nowMs) {
            long now = now(nowMs);
            while (size > 0 && now - times[head] >= WINDOW_MS) {
                head = (head + 1) % times.length;
                size--;
            }
            return size;
        }

        long oldest() {
            return times[head];
        }

        void add(long nowMs) {
            long now = now(nowMs);
            expire(now);
            if (size == times.length) { // recorded over the limit: the oldest is the one to forget
                head = (head + 1) % times.length;
                size--;
            }
            times[(head + size) % times.length] = now;
            size++;
            latest = now;
        }
    }
}
