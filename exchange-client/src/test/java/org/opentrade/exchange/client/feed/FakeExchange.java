package org.opentrade.exchange.client.feed;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.opentrade.exchange.model.AccountSnapshot;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.exchange.model.ShardSnapshot;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * An in-memory exchange behind {@link FeedTransport}: per-shard event logs, pruning, live
 * publication the test controls, replies answered at once or held until the test releases them,
 * and scripted failures. Single-threaded, like the consumer it serves.
 */
final class FakeExchange implements FeedTransport {
    private final int shards;
    private final List<List<ExchangeEvent>> logs = new ArrayList<>();
    private final long[] firstKept;
    private final Map<Integer, List<Consumer<FeedBatch>>> subscribers = new HashMap<>();
    private final Deque<Runnable> held = new ArrayDeque<>();
    /** Scripted answers to the next replays: a Throwable fails it, a FeedBatch (or null) is the reply. */
    final Deque<Object> replayScript = new ArrayDeque<>();
    final Deque<Throwable> infoFailures = new ArrayDeque<>();
    final List<String> requests = new ArrayList<>();
    final List<String> checkpoints = new ArrayList<>();
    final Map<Integer, ShardSnapshot> shardSnapshots = new HashMap<>();
    /** Replies wait for {@link #releaseOne}/{@link #releaseAll} instead of completing at once. */
    boolean holdReplies;
    /** While down, every request fails (an exchange restarting). */
    boolean down;

    FakeExchange(int shards) {
        this.shards = shards;
        this.firstKept = new long[shards];
        for (int s = 0; s < shards; s++) {
            logs.add(new ArrayList<>());
            firstKept[s] = 1;
        }
    }

    // ------------------------------------------------------------------ the exchange side

    static ExchangeEvent event(int shard, long seq) {
        return new ExchangeEvent(seq, shard, EventType.ACCEPTED, seq, "acct", 0, null, "SYM" + shard, Side.BUY,
                OrderType.LIMIT, TimeInForce.GTC, 1000, 100, 100, 0, 0, ResultCode.OK, seq, null);
    }

    /** Appends {@code n} events to {@code shard} and returns them as one batch (not published). */
    FeedBatch append(int shard, int n) {
        List<ExchangeEvent> log = logs.get(shard);
        List<ExchangeEvent> added = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ExchangeEvent e = event(shard, log.size() + 1);
            log.add(e);
            added.add(e);
        }
        return FeedBatch.of(shard, head(shard), firstKept[shard], added);
    }

    /** Appends and publishes. */
    FeedBatch appendAndPublish(int shard, int n) {
        FeedBatch b = append(shard, n);
        publish(b);
        return b;
    }

    /** Events {@code from..to} of {@code shard} as a batch. */
    FeedBatch batch(int shard, long from, long to) {
        return FeedBatch.of(shard, head(shard), firstKept[shard],
                new ArrayList<>(logs.get(shard).subList((int) from - 1, (int) to)));
    }

    FeedBatch heartbeat(int shard) {
        return FeedBatch.of(shard, head(shard), firstKept[shard], List.of());
    }

    void publish(FeedBatch b) {
        for (Consumer<FeedBatch> c : List.copyOf(subscribers.getOrDefault(b.shard(), List.of()))) {
            c.accept(b);
        }
    }

    long head(int shard) {
        return logs.get(shard).size();
    }

    void prune(int shard, long newFirstKept) {
        firstKept[shard] = newFirstKept;
    }

    int subscriberCount(int shard) {
        return subscribers.getOrDefault(shard, List.of()).size();
    }

    // ------------------------------------------------------------------ replies

    int heldReplies() {
        return held.size();
    }

    void releaseOne() {
        Runnable r = held.poll();
        if (r != null) {
            r.run();
        }
    }

    void releaseAll() {
        while (!held.isEmpty()) {
            releaseOne();
        }
    }

    private <T> CompletionStage<T> answer(T value, Throwable failure) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable complete = () -> {
            if (failure != null) {
                f.completeExceptionally(failure);
            } else {
                f.complete(value);
            }
        };
        if (holdReplies) {
            held.add(complete);
        } else {
            complete.run();
        }
        return f;
    }

    private static TimeoutException timeout() {
        return new TimeoutException("exchange down");
    }

    // ------------------------------------------------------------------ FeedTransport

    @Override
    public CompletionStage<FeedInfo> info() {
        requests.add("info");
        if (!infoFailures.isEmpty()) {
            return answer(null, infoFailures.poll());
        }
        List<Long> heads = new ArrayList<>();
        List<Long> kept = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            heads.add(head(s));
            kept.add(firstKept[s]);
        }
        return down ? answer(null, timeout()) : answer(new FeedInfo(shards, heads, kept), null);
    }

    @Override
    public Subscription subscribe(int shard, Consumer<FeedBatch> onBatch) {
        List<Consumer<FeedBatch>> list = subscribers.computeIfAbsent(shard, s -> new ArrayList<>());
        list.add(onBatch);
        return () -> list.remove(onBatch);
    }

    @Override
    public CompletionStage<FeedBatch> replay(int shard, long afterSeq, int maxEvents) {
        requests.add("replay " + shard + " after " + afterSeq);
        if (!replayScript.isEmpty()) {
            Object scripted = replayScript.poll();
            return scripted instanceof Throwable t ? answer(null, t) : answer((FeedBatch) scripted, null);
        }
        if (down) {
            return answer(null, timeout());
        }
        if (afterSeq + 1 < firstKept[shard]) {
            return answer(FeedBatch.refused(shard, ResultCode.EVENTS_NOT_RETAINED, "pruned", head(shard),
                    firstKept[shard]), null);
        }
        long to = Math.min(head(shard), afterSeq + maxEvents);
        List<ExchangeEvent> page = afterSeq >= to ? List.of()
                : new ArrayList<>(logs.get(shard).subList((int) afterSeq, (int) to));
        return answer(FeedBatch.of(shard, head(shard), firstKept[shard], page), null);
    }

    @Override
    public CompletionStage<ShardSnapshot> shardSnapshot(int shard, boolean withOrders) {
        requests.add("snapshot " + shard + " orders " + withOrders);
        return down ? answer(null, timeout()) : answer(shardSnapshots.get(shard), null);
    }

    @Override
    public CompletionStage<BookSnapshot> bookSnapshot(String symbol, boolean withOrders) {
        throw new UnsupportedOperationException("the consumer never asks for one");
    }

    @Override
    public CompletionStage<List<AccountSnapshot>> accountSnapshot(String account) {
        throw new UnsupportedOperationException("the consumer never asks for one");
    }

    @Override
    public CompletionStage<Void> checkpoint(String consumer, int shard, long seq) {
        checkpoints.add(consumer + " " + shard + " " + seq);
        return down ? answer(null, timeout()) : answer(null, null);
    }
}
