package org.opentrade.trade.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link MutationAnswers} does, whatever keeps the answers (a file, Redis). */
public abstract class MutationAnswersContract {
    protected static final long NOW = 1_780_000_000_000L;
    protected static final int MAX_KEPT = 5;
    /** Three answers of {@link #big} and a bit: the bytes bound binds before the count. */
    protected static final long MAX_BYTES = 3 * 3_300 + 100;
    protected static final MutationAnswers.Bounds BOUNDS = new MutationAnswers.Bounds(MAX_KEPT, MAX_BYTES);

    /** A new, empty store keeping {@link #MAX_KEPT} answers and {@link #MAX_BYTES} at most. */
    protected abstract MutationAnswers newAnswers() throws Exception;

    /** The same answers as a later process sees them (the next start, or a standby that took over). */
    protected abstract MutationAnswers nextProcess() throws Exception;

    protected static MutationAnswers.Answer answer(String key, long at) {
        return new MutationAnswers.Answer("dev_a", key, "ab".repeat(32), 200,
                "{\"order_id\":\"" + key + "\",\"note\":\"tab\\tand\\nline\"}", at);
    }

    /** An answer of about 3 200 bytes. */
    protected static MutationAnswers.Answer big(String key, long at) {
        return new MutationAnswers.Answer("dev_a", key, "ab".repeat(32), 200,
                "{\"order_id\":\"" + key + "\",\"pad\":\"" + "x".repeat(3_000) + "\"}", at);
    }

    private void recordAndClose(List<MutationAnswers.Answer> answers) throws Exception {
        try (MutationAnswers store = newAnswers()) {
            store.load(NOW);
            answers.forEach(store::record);
        }
    }

    @Test
    public void answersRecordedAreLoadedByTheNextProcessInOrder() throws Exception {
        List<MutationAnswers.Answer> recorded = List.of(answer("k1", NOW - 3), answer("k2", NOW - 2), answer("k3", NOW - 1));
        recordAndClose(recorded);
        try (MutationAnswers next = nextProcess()) {
            assertEquals(recorded, next.load(NOW));
        }
    }

    @Test
    public void answersOlderThanTheRetentionAreNotLoaded() throws Exception {
        recordAndClose(List.of(answer("old", NOW - MutationAnswers.KEPT_MILLIS - 1), answer("fresh", NOW - 1_000)));
        try (MutationAnswers next = nextProcess()) {
            assertEquals(List.of(answer("fresh", NOW - 1_000)), next.load(NOW));
        }
    }

    @Test
    public void theNewestAreKeptUpToTheBound() throws Exception {
        List<MutationAnswers.Answer> all = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * MAX_KEPT; i++) {
            all.add(answer("k" + i, NOW - 1_000 + i));
        }
        recordAndClose(all);
        try (MutationAnswers next = nextProcess()) {
            assertEquals(all.subList(all.size() - MAX_KEPT, all.size()), next.load(NOW));
        }
    }

    @Test
    public void theNewestAreKeptUpToTheBytesBound() throws Exception {
        List<MutationAnswers.Answer> all = List.of(big("b1", NOW - 5), big("b2", NOW - 4), big("b3", NOW - 3),
                big("b4", NOW - 2), big("b5", NOW - 1));
        recordAndClose(all);
        try (MutationAnswers next = nextProcess()) {
            assertEquals(all.subList(2, 5), next.load(NOW));
        }
    }

    private static MutationAnswers.Answer of(String account, MutationAnswers.Answer a) {
        return new MutationAnswers.Answer(account, a.key(), a.fingerprint(), a.status(), a.body(), a.at());
    }

    /**
     * A developer sending keyed mutations by the thousand pushes out only their own answers: another account holding
     * fewer keeps its answers (a store that kept the newest whoever sent them lost them, and their retries after a
     * restart ran again).
     */
    @Test
    public void oneAccountFloodingTheStorePushesOutOnlyItsOwnAnswers() throws Exception {
        List<MutationAnswers.Answer> all = new java.util.ArrayList<>();
        List<MutationAnswers.Answer> victims = List.of(of("dev_victim", answer("reset", NOW - 10_000)),
                of("dev_victim", answer("cancel-all", NOW - 9_000)));
        all.addAll(victims);
        for (int i = 0; i < 20 * MAX_KEPT; i++) {
            all.add(of("dev_flood", answer("f" + i, NOW - 5_000 + i)));
        }
        recordAndClose(all);
        try (MutationAnswers next = nextProcess()) {
            List<MutationAnswers.Answer> expected = new java.util.ArrayList<>(victims);
            expected.addAll(all.subList(all.size() - (MAX_KEPT - victims.size()), all.size()));
            assertEquals(expected, next.load(NOW));
        }
    }

    @Test
    public void oneAccountFloodingTheStoreWithLargeAnswersPushesOutOnlyItsOwn() throws Exception {
        MutationAnswers.Answer victim = of("dev_victim", big("v1", NOW - 10));
        List<MutationAnswers.Answer> flood = List.of(big("b1", NOW - 5), big("b2", NOW - 4), big("b3", NOW - 3),
                big("b4", NOW - 2), big("b5", NOW - 1));
        List<MutationAnswers.Answer> all = new java.util.ArrayList<>(List.of(victim));
        all.addAll(flood);
        recordAndClose(all);
        try (MutationAnswers next = nextProcess()) {
            assertEquals(List.of(victim, flood.get(3), flood.get(4)), next.load(NOW));
        }
    }

    @Test
    public void aLineThatIsNoAnswerIsNone() {
        assertNull(MutationAnswers.Answer.parse("1780000000000\tdev_a\tk1\tab\t200\t{\"torn"));
        assertNull(MutationAnswers.Answer.parse("garbage"));
        MutationAnswers.Answer a = answer("k1", NOW);
        assertEquals(a, MutationAnswers.Answer.parse(a.line()));
    }
}
