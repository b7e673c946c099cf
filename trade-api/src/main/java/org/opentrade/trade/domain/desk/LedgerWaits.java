package org.opentrade.trade.domain.desk;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Requests waiting for the ledger to reach a state the feed brings (a close waiting for its cancels' events), each
 * with a deadline: {@link #check} completes those whose condition holds, or whose deadline has passed, whatever
 * the ledger says then. The desk checks after each event and on its periodic timer. One thread (the desk's).
 */
final class LedgerWaits {
    private record Wait(BooleanSupplier reached, CompletableFuture<Void> done, long deadline) {
    }

    private final List<Wait> waits = new ArrayList<>();

    /** Done at the first {@link #check} at which {@code reached} holds or {@code deadline} (epoch ms) has come. */
    CompletableFuture<Void> add(BooleanSupplier reached, long deadline) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        waits.add(new Wait(reached, done, deadline));
        return done;
    }

    boolean isEmpty() {
        return waits.isEmpty();
    }

    int size() {
        return waits.size();
    }

    /** Completes the waits that are due; a wait completed may add another, which waits for the next check. */
    void check(long now) {
        if (waits.isEmpty()) {
            return;
        }
        List<Wait> due = new ArrayList<>();
        waits.removeIf(w -> (now >= w.deadline() || w.reached().getAsBoolean()) && due.add(w));
        due.forEach(w -> w.done().complete(null));
    }
}
