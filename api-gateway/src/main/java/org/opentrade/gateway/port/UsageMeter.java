package org.opentrade.gateway.port;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.opentrade.gateway.domain.UsagePage;
import org.opentrade.gateway.domain.UsageRow;
import org.opentrade.gateway.domain.UsageSample;

/**
 * Counts calls per key × route × minute, with status class and latency. {@link #record} is called
 * on the request path: it only adds to in-process counters. The gateway calls {@link #flush} on a
 * timer (every second by default) to move them to the store, so a call never waits for the store.
 * When a flush fails the counters are kept and retried on the next flush.
 */
public interface UsageMeter {

    /** Adds one call. Never blocks, never fails. */
    void record(UsageSample sample);

    /**
     * Rows of the given keys with {@code fromMinute <= minute < toMinute} (epoch minutes), sorted by
     * minute, then key, then route; includes calls recorded here but not yet flushed. At most {@code maxRows}
     * rows in whole minutes ({@link UsagePage#cut}), and the work done is bounded by {@code maxRows} and the
     * number of keys, not by the window: a week of a key called on every route each minute is hundreds of
     * thousands of rows, which one answer must not build (nor one query read from the store).
     */
    CompletionStage<UsagePage> usage(List<String> keyIds, long fromMinute, long toMinute, int maxRows);

    /** Every row of the window in one list: for tests and tools, never for a caller's request. */
    default CompletionStage<List<UsageRow>> usage(List<String> keyIds, long fromMinute, long toMinute) {
        return usage(keyIds, fromMinute, toMinute, Integer.MAX_VALUE - 1).thenApply(UsagePage::rows);
    }

    /** Writes pending counters to the store now. */
    CompletionStage<Void> flush();

    /** Flushes, then releases connections and files. */
    CompletionStage<Void> close();
}
