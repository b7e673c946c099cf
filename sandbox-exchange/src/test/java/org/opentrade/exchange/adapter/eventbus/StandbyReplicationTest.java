package org.opentrade.exchange.adapter.eventbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Command;

/**
 * A standby that takes over stops taking the old leader's batches before it promotes its shards, and
 * does not wait for the cluster to learn its consumers are gone: a batch it held (it arrived before
 * the standby had installed its images) and every batch after fail, so the old leader, if it still
 * runs, can run none of them on this node's acknowledgement.
 */
class StandbyReplicationTest {
    private static final String NODE = "ex-test";
    private Vertx vertx;
    private Context context;
    private StandbyReplication standby;

    @BeforeEach
    void listen() throws Exception {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        standby = new StandbyReplication(vertx, context, NODE, new int[] {0}, Duration.ofSeconds(5));
        CompletableFuture<Void> listening = new CompletableFuture<>();
        context.runOnContext(v -> standby.listen().onComplete(r -> listening.complete(null)));
        listening.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aHeldBatchAndEveryLaterOneFailOnceTheStandbyStopsTaking() throws Exception {
        // Not following yet (no images installed): a batch under the current attachment is held unanswered.
        Future<Message<Buffer>> held = send(1);
        Thread.sleep(200);
        assertFalse(held.isComplete(), "a batch before the images are installed waits for them");

        standby.stopTaking().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        ReplyException heldFailure = failure(held);
        assertEquals(409, heldFailure.failureCode(), heldFailure.getMessage());
        // After: refused here, or no consumer left at all; never acknowledged.
        assertInstanceOf(ReplyException.class, failure(send(2)));
        standby.following(null); // a late install after the takeover changes nothing
        assertInstanceOf(ReplyException.class, failure(send(3)));
    }

    private Future<Message<Buffer>> send(long firstSeq) {
        return vertx.eventBus().request(ReplicationWire.batchAddress(NODE, 0),
                ReplicationWire.batch(1, 0, firstSeq, List.of(Command.cancel(firstSeq, "600000.SH", 1L))), new DeliveryOptions().setSendTimeout(5_000));
    }

    private static ReplyException failure(Future<Message<Buffer>> f) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS), "the batch was acknowledged");
        return assertInstanceOf(ReplyException.class, e.getCause());
    }
}
