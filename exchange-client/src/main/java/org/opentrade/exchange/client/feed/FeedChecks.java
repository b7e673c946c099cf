package org.opentrade.exchange.client.feed;

import java.util.List;
import org.opentrade.exchange.model.BookSnapshot;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.FeedBatch;
import org.opentrade.exchange.model.ShardSnapshot;

/**
 * What the consumer refuses to act on: batches of another shard, non-consecutive events, replies
 * that skip events, snapshots that do not describe one sequence. Each check returns a sentence for
 * the log and the stats, or null. Stateless.
 */
final class FeedChecks {
    private FeedChecks() {
    }

    /** Why a live batch cannot be used, or null. */
    static String liveProblem(int shard, FeedBatch b) {
        if (b == null) {
            return "empty message";
        }
        if (b.shard() != shard) {
            return "batch of shard " + b.shard() + " on shard " + shard + "'s feed";
        }
        if (!b.isOk()) {
            return "live batch with code " + b.code().code() + " " + b.code();
        }
        return gapInside(b);
    }

    /** Why a replay reply to {@code after} cannot be used, or null (a refusal is usable: it says why). */
    static String pageProblem(int shard, long after, FeedBatch b) {
        if (b == null) {
            return "empty replay reply";
        }
        if (b.shard() != shard) {
            return "replay reply for shard " + b.shard() + " on shard " + shard;
        }
        if (!b.isOk() || b.events().isEmpty()) {
            return null;
        }
        if (b.firstSeq() > after + 1) {
            return "replay after " + after + " started at " + b.firstSeq() + ": the reply skips events";
        }
        return gapInside(b);
    }

    private static String gapInside(FeedBatch b) {
        List<ExchangeEvent> events = b.events();
        long first = b.firstSeq();
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i).seq() != first + i) {
                return "events are not consecutive: " + events.get(i - 1).seq() + " then " + events.get(i).seq();
            }
        }
        return null;
    }

    /** Why a shard snapshot cannot be applied, or null: the shard asked for, every book at its sequence, with orders. */
    static String snapshotProblem(int shard, ShardSnapshot snapshot) {
        if (snapshot == null) {
            return "shard snapshot is missing";
        }
        long seq = snapshot.seq();
        if (snapshot.shard() != shard) {
            return "shard snapshot is of shard " + snapshot.shard() + ", expected shard " + shard;
        }
        for (BookSnapshot b : snapshot.books()) {
            if (b.shard() != shard || b.seq() != seq) {
                return "shard snapshot mixes shards or sequences: " + b.symbol() + " is shard " + b.shard()
                        + " at " + b.seq() + ", expected shard " + shard + " at " + seq;
            }
            if (b.orders() == null) {
                return "shard snapshot of " + b.symbol() + " came without the resting orders asked for";
            }
        }
        return null;
    }
}
