package org.opentrade.exchange.adapter.eventbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.tracing.SpanRecord;
import org.opentrade.common.tracing.Tracing;
import org.opentrade.common.tracing.TracingOptions;
import org.opentrade.exchange.adapter.csv.UniverseFile;
import org.opentrade.exchange.adapter.disruptor.ShardedExchange;
import org.opentrade.exchange.adapter.disruptor.ShardedExchangeOptions;
import org.opentrade.exchange.adapter.file.FsyncPolicy;
import org.opentrade.exchange.client.ExchangeAddresses;
import org.opentrade.exchange.client.FeedBatchCodec;
import org.opentrade.exchange.model.ContinuousCalendar;

/** A traced command's span on the exchange and its children, one per stage on the shard. */
@ExtendWith(VertxExtension.class)
class CommandSpansTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @TempDir
    Path dir;
    private ShardedExchange exchange;
    private Tracing tracing;

    @BeforeEach
    void start(Vertx vertx, VertxTestContext ctx) {
        FeedBatchCodec.register(vertx);
        tracing = Tracing.create(new TracingOptions().setServiceName("sandbox-exchange"));
        exchange = ShardedExchange.start(ShardedExchangeOptions.defaults(UniverseFile.loadDefault(), new ContinuousCalendar())
                        .withShards(2).withJournal(dir, FsyncPolicy.BATCH),
                new EventBusPublisher(vertx.eventBus(), vertx.getOrCreateContext(), 2, true));
        CommandEndpoint.register(vertx, exchange, System::currentTimeMillis, tracing).onComplete(ctx.succeedingThenComplete());
    }

    @AfterEach
    void stop() {
        exchange.close();
        tracing.close();
    }

    private static JsonObject order(long id, String price) {
        return new JsonObject().put("type", "NEW_ORDER").put("order_id", id).put("account", "alice")
                .put("symbol", "600000.SH").put("side", "BUY").put("order_type", "LIMIT").put("tif", "GTC")
                .put("price", price).put("qty", 100);
    }

    private static DeliveryOptions traced(String traceId) {
        return new DeliveryOptions().addHeader("traceparent", "00-" + traceId + "-" + CALLER_SPAN + "-01");
    }

    @Test
    void theCommandsSpanHasAChildPerStageOneAfterTheOtherWithinIt(Vertx vertx, VertxTestContext ctx) {
        vertx.eventBus().<JsonObject>request(ExchangeAddresses.COMMANDS, order(1, "10.40"), traced(TRACE_ID))
                .compose(reply -> spans(vertx, TRACE_ID, 5).map(spans -> Map.entry(reply, spans)))
                .onComplete(ctx.succeeding(replyAndSpans -> ctx.verify(() -> {
                    var reply = replyAndSpans.getKey();
                    assertEquals(0, reply.body().getInteger("code"));
                    Map<String, SpanRecord> spans = byName(replyAndSpans.getValue());
                    assertEquals(List.of("exchange NEW_ORDER", "exchange journal", "exchange match", "exchange publish",
                            "exchange queue"), spans.keySet().stream().sorted().toList(), "no standby: no replicate stage");
                    SpanRecord command = spans.get("exchange NEW_ORDER");
                    assertEquals(CALLER_SPAN, command.parentSpanId(), "a child of the span that sent it");
                    assertEquals(reply.body().getLong("journal_seq"), command.attributes().get("opentrade.journal_seq"));
                    SpanRecord queue = spans.get("exchange queue");
                    SpanRecord journal = spans.get("exchange journal");
                    SpanRecord match = spans.get("exchange match");
                    SpanRecord publish = spans.get("exchange publish");
                    for (SpanRecord child : List.of(queue, journal, match, publish)) {
                        assertEquals(command.spanId(), child.parentSpanId(), child.name());
                        assertEquals("INTERNAL", child.kind(), child.name());
                        assertTrue(child.startUs() >= command.startUs() && end(child) <= end(command) + 1,
                                child.name() + " within the command's span: " + child + " in " + command);
                    }
                    assertEquals(command.startUs(), queue.startUs(), "the queue starts at the command's arrival");
                    assertEquals(end(queue), journal.startUs(), 1, "the journal stage follows the dequeue");
                    assertTrue(match.startUs() >= end(journal) - 1, "matched after the journal commit");
                    assertEquals(end(match), publish.startUs(), 1, "published after its match");
                    assertEquals(1L, journal.attributes().get("opentrade.batch_commands"));
                    ctx.completeNow();
                })));
    }

    @Test
    void aRejectedCommandIsTracedThroughEveryStageAndAnUntracedOneNotAtAll(Vertx vertx, VertxTestContext ctx) {
        String rejectedTrace = "5bf92f3577b34da6a3ce929d0e0e4737";
        vertx.eventBus().<JsonObject>request(ExchangeAddresses.COMMANDS, order(2, "10.40")) // no trace context
                .compose(r -> vertx.eventBus().<JsonObject>request(ExchangeAddresses.COMMANDS, order(3, "99.00"),
                        traced(rejectedTrace)))
                .compose(reply -> spans(vertx, rejectedTrace, 5).map(spans -> Map.entry(reply, spans)))
                .onComplete(ctx.succeeding(replyAndSpans -> ctx.verify(() -> {
                    assertEquals(-5004, replyAndSpans.getKey().body().getInteger("code"), "outside the price band");
                    Map<String, SpanRecord> spans = byName(replyAndSpans.getValue());
                    assertEquals(5, spans.size(), spans.keySet().toString());
                    assertNotNull(spans.get("exchange match"));
                    assertEquals(-5004L, spans.get("exchange NEW_ORDER").attributes().get("opentrade.result_code"));
                    assertEquals(1, tracing.spanStore().traceCount(), "the untraced command left no trace");
                    ctx.completeNow();
                })));
    }

    /**
     * The trace's spans once it has {@code count} of them (the exchange builds them right after its
     * answer), or all it has after 5 s.
     */
    private io.vertx.core.Future<List<SpanRecord>> spans(Vertx vertx, String traceId, int count) {
        io.vertx.core.Promise<List<SpanRecord>> done = io.vertx.core.Promise.promise();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        vertx.setPeriodic(1, 5, id -> {
            List<SpanRecord> spans = tracing.spanStore().spans(traceId);
            if (spans.size() >= count || System.nanoTime() > deadline) {
                vertx.cancelTimer(id);
                done.tryComplete(spans);
            }
        });
        return done.future();
    }

    /** The span's end in µs; start and duration are each rounded from ns, so ends and starts may differ by 1. */
    private static long end(SpanRecord s) {
        return s.startUs() + s.durationUs();
    }

    private static Map<String, SpanRecord> byName(List<SpanRecord> spans) {
        return spans.stream().collect(Collectors.toMap(SpanRecord::name, Function.identity()));
    }
}
