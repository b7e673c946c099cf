package org.opentrade.trade.port;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opentrade.trade.port.MutationAnswers.Answer;
import org.opentrade.trade.port.MutationAnswers.Bounds;

/**
 * {@link MutationAnswers.Newest}, fed one answer at a time as a store is read, keeps of one account exactly what a
 * pass over the whole list from its newest end keeps: the newest answers within the retention whose count and bytes
 * fit the bounds; of several, no account's flood pushes out another account holding fewer.
 */
class MutationAnswersNewestTest {
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void streamingKeepsTheNewestThatFitTheBoundsLikeAPassFromTheNewestEnd() {
        Random random = new Random(42);
        for (int run = 0; run < 500; run++) {
            List<Answer> all = new ArrayList<>();
            int n = random.nextInt(60);
            for (int i = 0; i < n; i++) {
                // about one in five past the 24 h retention, anywhere in the list
                long at = random.nextInt(5) == 0 ? NOW - MutationAnswers.KEPT_MILLIS - random.nextInt(1000)
                        : NOW - random.nextInt(3_600_000);
                all.add(new Answer("acct", "k" + i, "f", 200,
                        "{\"pad\":\"" + "x".repeat(random.nextInt(200)) + "\"}", at));
            }
            // from below one answer's size (some answers fit no bound: nothing older than them is kept) to many
            Bounds bounds = new Bounds(1 + random.nextInt(40), 60 + random.nextInt(4000));
            MutationAnswers.Newest newest = new MutationAnswers.Newest(NOW, bounds);
            all.forEach(newest::add);
            assertEquals(fromTheNewestEnd(all, bounds), newest.answers(), "run " + run + " with " + bounds);
        }
    }

    @Test
    void eachAccountKeepsItsShareWhateverAnotherSends() {
        Bounds bounds = new Bounds(30, Long.MAX_VALUE, 25);
        MutationAnswers.Newest newest = new MutationAnswers.Newest(NOW, bounds);
        for (int i = 0; i < 8; i++) {
            newest.add(new Answer("quiet-" + (i % 2), "q" + i, "f", 200, "{}", NOW - 10_000 + i));
        }
        for (int i = 0; i < 500; i++) {
            newest.add(new Answer("flood", "k" + i, "f", 200, "{}", NOW - 5_000 + i));
        }
        List<Answer> kept = newest.answers();
        assertEquals(30, kept.size());
        assertEquals(8, kept.stream().filter(a -> a.account().startsWith("quiet-")).count(), "the quiet accounts keep all");
        List<Answer> flood = kept.stream().filter(a -> a.account().equals("flood")).toList();
        assertEquals(22, flood.size());
        assertEquals("k478", flood.get(0).key(), "the flood keeps its newest");
        assertEquals("k499", flood.get(flood.size() - 1).key());
    }

    @Test
    void tornLinesAndAnswersPastTheRetentionAreSkipped() {
        MutationAnswers.Newest newest = new MutationAnswers.Newest(NOW, Bounds.DEFAULT);
        Answer old = new Answer("a", "k1", "f", 200, "{}", NOW - MutationAnswers.KEPT_MILLIS);
        Answer fresh = new Answer("a", "k2", "f", 200, "{}", NOW - 1);
        newest.add(old);
        newest.add(Answer.parse("1800000000000\ta\tk3\tf\t200\t{\"torn")); // null: a line a crash cut short
        newest.add(fresh);
        assertEquals(List.of(fresh), newest.answers());
    }

    /** The reference: from the newest answer backwards, skipping expired ones, until the next would not fit. */
    private static List<Answer> fromTheNewestEnd(List<Answer> all, Bounds bounds) {
        ArrayDeque<Answer> kept = new ArrayDeque<>();
        long bytes = 0;
        for (int i = all.size() - 1; i >= 0 && kept.size() < bounds.maxKept(); i--) {
            Answer a = all.get(i);
            if (NOW - a.at() >= MutationAnswers.KEPT_MILLIS) {
                continue;
            }
            bytes += a.bytes();
            if (bytes > bounds.maxBytes()) {
                break;
            }
            kept.addFirst(a);
        }
        return List.copyOf(kept);
    }
}
