package org.opentrade.gateway.port;

import java.util.List;
import java.util.concurrent.CompletionStage;
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
     * minute, then key, then route; includes calls recorded here but not yet flushed.
     */
    CompletionStage<List<UsageRow>> usage(List<String> keyIds, long fromMinute, long toMinute);

    /** Writes pending counters to the store now. */
    CompletionStage<Void> flush();

    /** Flushes, then releases connections and files. */
    CompletionStage<Void> close();
}
