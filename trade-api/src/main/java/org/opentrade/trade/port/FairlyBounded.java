package org.opentrade.trade.port;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Values by account and key, bounded per account and fairly in total: each account keeps at most
 * {@code perAccount} (its oldest go first); past {@code total} values the oldest of the account holding the most
 * goes, and past {@code maxWeight} (the values' summed weight, e.g. bytes) the oldest of the account holding the
 * heaviest. So one account's traffic never pushes out another account's values while that one holds fewer (or
 * lighter) than it: an account keeps at least its share. Ties go to the account whose id sorts last, as Redis's
 * {@code ZREVRANGE} picks them, so a store that applies this rule in a script keeps what this class keeps.
 * A value put again under its key replaces the old one and counts as the newest. Not thread-safe.
 *
 * @param <V> the values
 */
public final class FairlyBounded<V> {
    private record Held<V>(V value, long seq, long weight) {
    }

    private final int perAccount;
    private final int total;
    private final long maxWeight;
    private final ToLongFunction<V> weigher;
    /** Per account, its values oldest first. */
    private final Map<String, LinkedHashMap<String, Held<V>>> accounts = new HashMap<>();
    private final Map<String, Long> accountWeights = new HashMap<>();
    /** Accounts by how many values they hold, and by their weight, to find the one holding the most. */
    private final TreeMap<Long, TreeSet<String>> byCount = new TreeMap<>();
    private final TreeMap<Long, TreeSet<String>> byWeight = new TreeMap<>();
    private int size;
    private long weight;
    private long nextSeq;

    /** Without a weight bound. */
    public FairlyBounded(int perAccount, int total) {
        this(perAccount, total, Long.MAX_VALUE, v -> 0);
    }

    public FairlyBounded(int perAccount, int total, long maxWeight, ToLongFunction<V> weigher) {
        if (perAccount < 1 || total < perAccount || maxWeight < 1) {
            throw new IllegalArgumentException("per account " + perAccount + ", total " + total + ", weight " + maxWeight);
        }
        this.perAccount = perAccount;
        this.total = total;
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    /** The value under {@code key} of {@code account}, or null. */
    public V get(String account, String key) {
        LinkedHashMap<String, Held<V>> values = accounts.get(account);
        Held<V> h = values == null ? null : values.get(key);
        return h == null ? null : h.value();
    }

    /** Puts {@code value} as the account's newest, then lets go of what the bounds no longer hold. */
    public void put(String account, String key, V value) {
        remove(account, key);
        Held<V> h = new Held<>(value, nextSeq++, weigher.applyAsLong(value));
        LinkedHashMap<String, Held<V>> values = accounts.computeIfAbsent(account, a -> new LinkedHashMap<>());
        long countBefore = values.size();
        long weightBefore = accountWeights.getOrDefault(account, 0L);
        values.put(key, h);
        size++;
        weight += h.weight();
        resized(account, countBefore, weightBefore, values.size(), weightBefore + h.weight());
        if (values.size() > perAccount) {
            removeOldest(account);
        }
        while (size > total) {
            removeOldest(byCount.lastEntry().getValue().last());
        }
        while (weight > maxWeight && size > 0) {
            removeOldest(byWeight.lastEntry().getValue().last());
        }
    }

    /** Lets go of the account's oldest values while {@code drop} holds for them (e.g. past their retention). */
    public void dropOldestWhile(String account, Predicate<V> drop) {
        LinkedHashMap<String, Held<V>> values = accounts.get(account);
        while (values != null && !values.isEmpty() && drop.test(values.values().iterator().next().value())) {
            removeOldest(account);
            values = accounts.get(account);
        }
    }

    /** Values held, all accounts together. */
    public int size() {
        return size;
    }

    /** Values {@code account} holds. */
    public int size(String account) {
        LinkedHashMap<String, Held<V>> values = accounts.get(account);
        return values == null ? 0 : values.size();
    }

    /** The summed weight of the values held. */
    public long weight() {
        return weight;
    }

    /** Every value held, in the order they were put (oldest first). */
    public List<V> values() {
        List<Held<V>> all = new ArrayList<>(size);
        accounts.values().forEach(m -> all.addAll(m.values()));
        all.sort(Comparator.comparingLong(Held::seq));
        List<V> out = new ArrayList<>(all.size());
        all.forEach(h -> out.add(h.value()));
        return out;
    }

    private void remove(String account, String key) {
        LinkedHashMap<String, Held<V>> values = accounts.get(account);
        Held<V> h = values == null ? null : values.get(key);
        if (h != null) {
            long weightBefore = accountWeights.get(account);
            values.remove(key);
            size--;
            weight -= h.weight();
            resized(account, values.size() + 1, weightBefore, values.size(), weightBefore - h.weight());
        }
    }

    private void removeOldest(String account) {
        LinkedHashMap<String, Held<V>> values = accounts.get(account);
        Iterator<Map.Entry<String, Held<V>>> oldest = values.entrySet().iterator();
        remove(account, oldest.next().getKey());
    }

    private void resized(String account, long countFrom, long weightFrom, long countTo, long weightTo) {
        move(byCount, account, countFrom, countTo);
        move(byWeight, account, weightFrom, weightTo);
        if (countTo == 0) {
            accounts.remove(account);
            accountWeights.remove(account);
            byWeight.computeIfPresent(weightTo, (w, set) -> set.remove(account) && set.isEmpty() ? null : set);
        } else {
            accountWeights.put(account, weightTo);
        }
    }

    private static void move(TreeMap<Long, TreeSet<String>> index, String account, long from, long to) {
        index.computeIfPresent(from, (n, set) -> set.remove(account) && set.isEmpty() ? null : set);
        if (to > 0) {
            index.computeIfAbsent(to, n -> new TreeSet<>()).add(account);
        }
    }
}
