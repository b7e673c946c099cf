package org.opentrade.gateway.adapter.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.opentrade.gateway.domain.UsageCounters;
import org.opentrade.gateway.domain.UsagePage;
import org.opentrade.gateway.domain.UsageRow;
import org.opentrade.gateway.domain.UsageSample;
import org.opentrade.gateway.port.UsageMeter;

/**
 * Usage shared by every gateway. {@link #record} only counts in process ({@link UsageCounters},
 * lock-free); {@link #flush} adds the counts to Redis, one Lua script per key × minute
 * ({@code usage_flush.lua}), all sent at once (Lettuce pipelines them on the one connection):
 * <pre>
 *   usage:{&lt;key&gt;}:&lt;minute&gt;   hash: c2:&lt;route&gt; c4:&lt;route&gt; c5:&lt;route&gt; (calls per status class),
 *                            lt:&lt;route&gt; (latency µs total), lm:&lt;route&gt; (latency µs max)
 *   usage:{&lt;key&gt;}:minutes  sorted set of the key's minutes, for range reads
 * </pre>
 * Both live for the retention ({@link RedisOptions#usageRetention()}, 8 days by default) after their
 * last write. The braces are a Redis Cluster hash tag: one key's rows share a slot.
 *
 * <p>A key × minute whose write fails is counted back in and retried by the next flush. Delivery is
 * at least once: a write that timed out after Redis applied it is counted twice. {@link #usage} is
 * exact while no flush runs; racing a flush it may miss or double count that flush's rows.
 *
 * <p>Thread-safe. Flushes run one after another. Stages complete on a Lettuce I/O thread.
 */
public final class RedisUsageMeter implements UsageMeter {

    private static final Comparator<UsageRow> ORDER = Comparator.comparingLong(UsageRow::epochMinute)
            .thenComparing(UsageRow::keyId).thenComparing(UsageRow::route);

    private final RedisConnections redis;
    private final RedisScript flushScript;
    private final UsageCounters counters = new UsageCounters();
    private final String retentionMillis;
    /** Rows taken by the running flush and not yet acknowledged; shown by usage() meanwhile. */
    private volatile List<UsageRow> writing = List.of();
    private CompletableFuture<Void> lastFlush = CompletableFuture.completedFuture(null);

    /** Borrows {@code redis}; {@link #close()} flushes and leaves it open. */
    public RedisUsageMeter(RedisConnections redis) {
        this.redis = redis;
        this.flushScript = RedisScript.load("usage_flush", redis.async());
        this.retentionMillis = Long.toString(redis.options().usageRetention().toMillis());
    }

    /** Called on the request path: counts in process only, lock-free. */
    @Override
    public void record(UsageSample sample) {
        counters.add(sample);
    }

    @Override
    public synchronized CompletionStage<Void> flush() {
        // Chained: two flushes never write the same counts, and a caller's flush covers its calls.
        lastFlush = lastFlush.handle((ignored, failure) -> null).thenCompose(ignored -> writeCounts());
        return lastFlush;
    }

    private CompletableFuture<Void> writeCounts() {
        List<UsageRow> rows = counters.drain();
        if (rows.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        writing = rows;
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        groupByKeyAndMinute(rows).forEach((group, groupRows) -> writes.add(write(group, groupRows)));
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .whenComplete((ignored, failure) -> writing = List.of());
    }

    private CompletableFuture<Void> write(String hashKey, List<UsageRow> rows) {
        UsageRow first = rows.get(0);
        List<String> args = new ArrayList<>(List.of(Long.toString(first.epochMinute()), retentionMillis));
        for (UsageRow r : rows) {
            args.addAll(List.of(r.route(), Long.toString(r.calls2xx()), Long.toString(r.calls4xx()),
                    Long.toString(r.calls5xx()), Long.toString(r.latencyMicrosTotal()),
                    Long.toString(r.latencyMicrosMax())));
        }
        String[] keys = {hashKey, minutesKey(first.keyId())};
        return flushScript.<Long>run(redis.async(), ScriptOutputType.INTEGER, keys, args.toArray(String[]::new))
                .toCompletableFuture()
                .handle((ignored, failure) -> {
                    if (failure != null) {
                        rows.forEach(counters::add); // kept for the next flush
                        throw new CompletionException(failure);
                    }
                    return null;
                });
    }

    private Map<String, List<UsageRow>> groupByKeyAndMinute(List<UsageRow> rows) {
        Map<String, List<UsageRow>> groups = new LinkedHashMap<>();
        for (UsageRow r : rows) {
            groups.computeIfAbsent(hashKey(r.keyId(), r.epochMinute()), k -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    /**
     * Reads each key's minutes in the window from its index (at most {@code maxRows} + 1 of them: every minute
     * listed has a row), then only the minute hashes up to the minute by which the listed (key, minute) pairs
     * pass {@code maxRows}: no later minute can be on the page, as each pair is at least one row. So one query
     * sends at most keys + {@code maxRows} + keys commands, whatever the window (it sent one per key × minute:
     * a week of 26 keys was 262 080 HGETALLs for one call of 1 unit).
     */
    @Override
    public CompletionStage<UsagePage> usage(List<String> keyIds, long fromMinute, long toMinute, int maxRows) {
        if (fromMinute >= toMinute || keyIds.isEmpty()) {
            return CompletableFuture.completedFuture(new UsagePage(List.of(), UsagePage.NO_MORE));
        }
        Set<String> wanted = new HashSet<>(keyIds);
        List<UsageRow> local = new ArrayList<>(writing);
        local.addAll(counters.peek(r -> true));
        List<UsageRow> localInWindow = local.stream()
                .filter(r -> wanted.contains(r.keyId()))
                .filter(r -> r.epochMinute() >= fromMinute && r.epochMinute() < toMinute)
                .toList();
        Map<String, CompletableFuture<List<String>>> indexes = new LinkedHashMap<>();
        long listed = Math.min((long) maxRows + 1, Integer.MAX_VALUE);
        for (String keyId : wanted) {
            indexes.put(keyId, redis.async().zrangebyscore(minutesKey(keyId), Range.create(fromMinute, toMinute - 1),
                    Limit.create(0, listed)).toCompletableFuture());
        }
        return CompletableFuture.allOf(indexes.values().toArray(CompletableFuture[]::new)).thenCompose(ignored -> {
            // allOf has completed every read: join() returns at once, it never blocks the event loop.
            java.util.TreeMap<Long, Integer> pairs = new java.util.TreeMap<>();
            indexes.values().forEach(read -> read.join().forEach(m -> pairs.merge(Long.parseLong(m), 1, Integer::sum)));
            localInWindow.forEach(r -> pairs.merge(r.epochMinute(), 1, Integer::sum));
            long lastRead = Long.MAX_VALUE; // the last minute whose hashes are read
            long counted = 0;
            for (Map.Entry<Long, Integer> e : pairs.entrySet()) {
                counted += e.getValue();
                if (counted > maxRows) {
                    lastRead = e.getKey();
                    break;
                }
            }
            long firstUnread = lastRead == Long.MAX_VALUE || lastRead + 1 >= toMinute ? UsagePage.NO_MORE : lastRead + 1;
            long last = lastRead;
            List<CompletableFuture<List<UsageRow>>> hashes = new ArrayList<>();
            indexes.forEach((keyId, read) -> {
                for (String m : read.join()) { // completed (the allOf above): returns at once, never blocks
                    long minute = Long.parseLong(m);
                    if (minute <= last) {
                        hashes.add(redis.async().hgetall(hashKey(keyId, minute)).toCompletableFuture()
                                .thenApply(fields -> rowsOf(keyId, minute, fields)));
                    }
                }
            });
            return CompletableFuture.allOf(hashes.toArray(CompletableFuture[]::new)).thenApply(done -> {
                Map<String, UsageRow> merged = new HashMap<>();
                // allOf has completed every hash read: join() returns at once, it never blocks the event loop.
                hashes.forEach(h -> h.join().forEach(r -> add(merged, r)));
                localInWindow.stream().filter(r -> r.epochMinute() <= last).forEach(r -> add(merged, r));
                List<UsageRow> sorted = merged.values().stream().filter(r -> r.calls() > 0).sorted(ORDER).toList();
                return UsagePage.cut(sorted, maxRows, firstUnread);
            });
        });
    }

    private static void add(Map<String, UsageRow> merged, UsageRow r) {
        merged.merge(r.epochMinute() + "\n" + r.keyId() + "\n" + r.route(), r, UsageCounters::sum);
    }

    /** Parses a minute's hash ({@code <2-letter field>:<route>} → number) into one row per route. */
    static List<UsageRow> rowsOf(String keyId, long minute, Map<String, String> fields) {
        Map<String, long[]> byRoute = new LinkedHashMap<>();
        fields.forEach((field, value) -> {
            int column = switch (field.length() < 3 ? "" : field.substring(0, 3)) {
                case "c2:" -> 0;
                case "c4:" -> 1;
                case "c5:" -> 2;
                case "lt:" -> 3;
                case "lm:" -> 4;
                default -> -1;
            };
            if (column >= 0) {
                byRoute.computeIfAbsent(field.substring(3), r -> new long[5])[column] = Long.parseLong(value);
            }
        });
        List<UsageRow> rows = new ArrayList<>();
        byRoute.forEach((route, v) -> rows.add(new UsageRow(keyId, route, minute, v[0], v[1], v[2], v[3], v[4])));
        return rows;
    }

    /** Flushes; the borrowed connections stay open. */
    @Override
    public CompletionStage<Void> close() {
        return flush();
    }

    private String hashKey(String keyId, long minute) {
        return redis.key("usage:{" + keyId + "}:" + minute);
    }

    private String minutesKey(String keyId) {
        return redis.key("usage:{" + keyId + "}:minutes");
    }
}
