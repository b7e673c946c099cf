package org.opentrade.bench.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.ResultCode;

class FeedCounterTest {
    /** The harness thread and the consumer thread are one here: hand-overs run at once. */
    private final FeedCounter counter = new FeedCounter(Runnable::run);

    private static ExchangeEvent event(long seq, int shard) {
        return ExchangeEvent.rejected(seq, null, ResultCode.MALFORMED_COMMAND).onShard(shard);
    }

    private void deliver(long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            counter.onEvent(event(seq, 0));
        }
    }

    @Test
    void windowIsStampedAtTheFirstAndLastExpectedEvent() {
        deliver(1, 2);
        CompletableFuture<FeedCounter.Window> window = counter.expect(3, 5);
        deliver(3, 4);
        assertTrue(!window.isDone());
        deliver(5, 5);
        FeedCounter.Window w = window.join();
        assertTrue(w.firstNanos() > 0 && w.lastNanos() >= w.firstNanos());
        assertEquals(5, counter.position(0));
    }

    @Test
    void aGapFailsTheRunInsteadOfBeingCounted() {
        deliver(1, 1);
        CompletableFuture<FeedCounter.Window> window = counter.expect(2, 3);
        assertThrows(IllegalStateException.class, () -> counter.onEvent(event(3, 0)));
        assertThrows(CompletionException.class, window::join);
    }

    @Test
    void anEventOfAnotherShardFailsTheRun() {
        assertThrows(IllegalStateException.class, () -> counter.onEvent(event(1, 1)));
    }

    @Test
    void awaitingADeliveredSeqCompletesAtOnceAndAFutureOneWhenItArrives() {
        deliver(1, 3);
        assertEquals(3, counter.awaitSeq(2).join());
        CompletableFuture<Long> later = counter.awaitSeq(5);
        deliver(4, 4);
        assertTrue(!later.isDone());
        deliver(5, 5);
        assertEquals(5, later.join());
    }

    @Test
    void expectingEventsAlreadyDeliveredIsRefused() {
        deliver(1, 3);
        assertThrows(CompletionException.class, () -> counter.expect(3, 10));
    }

    @Test
    void aStoppedConsumerFailsEveryWait() {
        CompletableFuture<FeedCounter.Window> window = counter.expect(1, 2);
        counter.onFailure(0, 1, new RuntimeException("handler threw"));
        assertThrows(CompletionException.class, window::join);
        assertThrows(CompletionException.class, () -> counter.live().join());
    }
}
