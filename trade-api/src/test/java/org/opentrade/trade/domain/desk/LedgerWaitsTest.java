package org.opentrade.trade.domain.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LedgerWaitsTest {

    @Test
    void aWaitEndsWhenItsConditionHoldsAtACheckOrAtItsDeadlineWhateverTheCondition() {
        LedgerWaits waits = new LedgerWaits();
        AtomicBoolean canceled = new AtomicBoolean();
        CompletableFuture<Void> byEvent = waits.add(canceled::get, 5_000);
        CompletableFuture<Void> byDeadline = waits.add(() -> false, 3_000);
        waits.check(1_000);
        assertFalse(byEvent.isDone());
        assertFalse(byDeadline.isDone());
        canceled.set(true);
        assertFalse(byEvent.isDone(), "only a check ends a wait");
        waits.check(1_001);
        assertTrue(byEvent.isDone());
        assertFalse(byDeadline.isDone(), "an event that does not come never ends a wait before its deadline");
        waits.check(2_999);
        assertFalse(byDeadline.isDone());
        waits.check(3_000);
        assertTrue(byDeadline.isDone(), "a lost event holds a close up no longer than the deadline");
        assertTrue(waits.isEmpty());
    }

    @Test
    void aWaitAddedWhileOthersCompleteWaitsForTheNextCheck() {
        LedgerWaits waits = new LedgerWaits();
        CompletableFuture<Void> second = new CompletableFuture<>();
        waits.add(() -> true, 10).thenRun(() -> waits.add(() -> true, 10).thenRun(() -> second.complete(null)));
        waits.check(0);
        assertEquals(1, waits.size());
        assertFalse(second.isDone());
        waits.check(0);
        assertTrue(second.isDone());
    }
}
