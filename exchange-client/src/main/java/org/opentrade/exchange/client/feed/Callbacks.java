package org.opentrade.exchange.client.feed;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** How the core attaches to a transport's stages. */
final class Callbacks {
    private static final Logger LOG = Logger.getLogger(FeedConsumer.class.getName());

    private Callbacks() {
    }

    /**
     * Runs {@code action} with the stage's value or its (unwrapped) failure. A stage that completes
     * asynchronously (the normal case) runs it right away, on the thread that completes it (the
     * consumer's, by the transport contract); one that is already complete is handed over through
     * {@link Scheduler#execute}, so a transport answering synchronously cannot make paging recurse.
     * A bug in {@code action} is logged, never swallowed by the stage.
     */
    static <T> void whenDone(CompletionStage<T> stage, Scheduler scheduler, BiConsumer<T, Throwable> action) {
        boolean[] returned = new boolean[1];
        stage.whenComplete((value, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            Runnable run = () -> {
                try {
                    action.accept(value, cause);
                } catch (RuntimeException | Error bug) {
                    LOG.log(Level.SEVERE, "feed consumer: unexpected failure handling a reply", bug);
                }
            };
            if (returned[0]) {
                run.run();
            } else {
                scheduler.execute(run);
            }
        });
        returned[0] = true;
    }

    /** Rethrows what no one should catch. */
    static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError e) {
            throw e;
        }
    }
}
