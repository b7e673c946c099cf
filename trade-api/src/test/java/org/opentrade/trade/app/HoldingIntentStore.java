package org.opentrade.trade.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.port.IntentStore;

/**
 * An intent store for tests that holds back the acknowledgements of the intents it is told to (a slow disk, a
 * Redis write not yet answered), releases them, or fails (an I/O error, a lost Redis write): acknowledgements
 * held back then never come, later appends throw, and the failure handler is told.
 */
class HoldingIntentStore extends DelegatingIntentStore {
    private final List<Runnable> held = new ArrayList<>();
    private Consumer<Throwable> handler = err -> { };
    private Predicate<Intent> holding = intent -> false;
    private boolean failed;

    HoldingIntentStore(IntentStore store) {
        super(store);
    }

    @Override
    public synchronized void onFailure(Consumer<Throwable> handler) {
        this.handler = handler;
    }

    /** From now on holds back every acknowledgement. */
    synchronized void hold() {
        holding = intent -> true;
    }

    /** From now on holds back the acknowledgements of the intents {@code which} selects; the rest go through. */
    synchronized HoldingIntentStore holdOnly(Predicate<Intent> which) {
        holding = which;
        return this;
    }

    synchronized int held() {
        return held.size();
    }

    /** Gives the acknowledgements held back so far, in order. */
    void release() {
        List<Runnable> due;
        synchronized (this) {
            due = new ArrayList<>(held);
            held.clear();
        }
        due.forEach(Runnable::run);
    }

    /** Stops the store: acknowledgements held back never come, later appends throw, the handler is told. */
    void fail() {
        Consumer<Throwable> h;
        synchronized (this) {
            failed = true;
            held.clear();
            h = handler;
        }
        h.accept(new IOException("the disk went away (test)"));
    }

    @Override
    public boolean append(Intent intent, LongConsumer durable) {
        synchronized (this) {
            if (failed) {
                throw new IllegalStateException("intent store failed (test)");
            }
        }
        return store.append(intent, index -> {
            synchronized (this) {
                if (failed) {
                    return;
                }
                if (holding.test(intent)) {
                    held.add(() -> durable.accept(index));
                    return;
                }
            }
            durable.accept(index);
        });
    }
}
