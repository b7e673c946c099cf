package org.opentrade.trade.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentrade.trade.port.MutationAnswers;
import org.opentrade.trade.port.MutationAnswersContract;

/**
 * Mutation answers in a real redis-server, as distributed mode keeps them: a standby that takes the instance over
 * on another host answers a retry with the first answer.
 */
class RedisMutationAnswersIT extends MutationAnswersContract {
    static final int INSTANCE = 9;

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    @RegisterExtension
    final ClaimedRedis claimed = new ClaimedRedis(REDIS, INSTANCE);

    @Override
    protected MutationAnswers newAnswers() {
        return new WaitingForRedis(new RedisMutationAnswers(claimed.redis(), BOUNDS), claimed.redis());
    }

    /** Another process (on another host, say) that took the instance over. */
    @Override
    protected MutationAnswers nextProcess() {
        return new RedisMutationAnswers(claimed.nextProcess(), BOUNDS);
    }

    @Test
    void aProcessWhoseClaimWasTakenOverRecordsNothing() throws Exception {
        MutationAnswers answers = new RedisMutationAnswers(claimed.redis(), BOUNDS);
        assertEquals("+OK", REDIS.command("SET", claimed.key("owner"), "elsewhere|1|1|0123456789abcdef"));
        answers.record(answer("k1", NOW));
        // One connection answers in order: once this PING is answered, the record sent before it was run (refused).
        claimed.redis().async().ping().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(":0", REDIS.command("HLEN", claimed.key("mutation-answers-lines")));
        assertEquals(":0", REDIS.command("ZCARD", claimed.key("mutation-answers-ids")));
    }

    @Test
    void answersAnEarlierVersionKeptInItsListAreLoadedBeforeTheOthers() throws Exception {
        MutationAnswers.Answer legacy = answer("from-the-list", NOW - 2_000);
        assertEquals(":1", REDIS.command("RPUSH", claimed.key("mutation-answers"), legacy.line()));
        MutationAnswers.Answer recorded = answer("recorded", NOW - 1_000);
        try (MutationAnswers store = newAnswers()) {
            store.record(recorded);
        }
        try (MutationAnswers next = nextProcess()) {
            assertEquals(List.of(legacy, recorded), next.load(NOW));
        }
    }

    /** Records as the store does, and at close waits for what was sent to be in Redis (record does not wait). */
    private static final class WaitingForRedis implements MutationAnswers {
        private final MutationAnswers store;
        private final TradeRedis connection;

        WaitingForRedis(MutationAnswers store, TradeRedis connection) {
            this.store = store;
            this.connection = connection;
        }

        @Override
        public List<Answer> load(long now) throws java.io.IOException {
            return store.load(now);
        }

        @Override
        public void record(Answer answer) {
            store.record(answer);
        }

        @Override
        public void close() {
            try {
                // One connection answers in order: once this PING is answered, every record sent before it was run.
                connection.async().ping().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            store.close();
        }
    }
}
