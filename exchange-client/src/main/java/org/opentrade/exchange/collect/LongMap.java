package org.opentrade.exchange.collect;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A hash map from {@code long} to non-null values: open addressing with linear probing and
 * backward-shift deletion, so no boxing and no allocation per entry, for the order tables on hot paths
 * (the matching engine's live orders, a consumer's book replica). Capacity is a power of two, at most half
 * full; it doubles as entries come and never shrinks.
 *
 * <p>Not thread-safe: one thread. Pure JDK, so the exchange's domain may use it.
 *
 * @param <V> the value type; null values are not allowed (null means "absent")
 */
public final class LongMap<V> {
    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;
    private int resizeAt;

    /** Room for {@code expected} entries before the first growth. */
    public LongMap(int expected) {
        allocate(Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        resizeAt = capacity / 2;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The value of {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        int i = slot(key, mask);
        Object v;
        while ((v = values[i]) != null) {
            if (keys[i] == key) {
                return (V) v;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Maps {@code key} to {@code value}; returns the value it replaced, or null. */
    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        if (size >= resizeAt) {
            grow();
        }
        int i = slot(key, mask);
        Object v;
        while ((v = values[i]) != null) {
            if (keys[i] == key) {
                values[i] = value;
                return (V) v;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
        return null;
    }

    /** Removes {@code key}; returns its value, or null when it was absent. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int i = slot(key, mask);
        Object v;
        while ((v = values[i]) != null) {
            if (keys[i] == key) {
                shiftBack(i);
                size--;
                return (V) v;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Closes the hole at {@code hole}: later entries of its probe run move back so every entry stays reachable. */
    private void shiftBack(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            Object v = values[i];
            if (v == null) {
                break;
            }
            int home = slot(keys[i], mask);
            // Move the entry into the hole unless its home slot lies after the hole (cyclically, up to i).
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                keys[hole] = keys[i];
                values[hole] = v;
                hole = i;
            }
        }
        values[hole] = null;
        keys[hole] = 0;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(oldKeys.length * 2);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                put(oldKeys[i], (V) oldValues[i]);
            }
        }
    }

    public int size() {
        return size;
    }

    /**
     * Visits every value, in no particular order (slot order, which changes as the table grows). Walks
     * the whole table: for rare queries, not the hot path. The visitor must not change the map.
     */
    @SuppressWarnings("unchecked")
    public void forEach(Consumer<? super V> visitor) {
        for (Object v : values) {
            if (v != null) {
                visitor.accept((V) v);
            }
        }
    }

    public void clear() {
        Arrays.fill(values, null);
        Arrays.fill(keys, 0);
        size = 0;
    }
}
