package org.opentrade.exchange.adapter.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeqWindowTest {

    @Test
    void matchesAPlainListOfEverythingOnASeededRandomMixOfOperations() {
        Random random = new Random(11);
        SeqWindow<String> window = new SeqWindow<>();
        List<String> all = new ArrayList<>(); // index seq - 1; everything ever added and not dropped
        long first = 1;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            long last = all.size();
            if (op < 6) {
                String item = "item-" + step;
                assertEquals(last + 1, window.add(item));
                all.add(item);
            } else if (op < 9) {
                long upTo = last == 0 ? 0 : first - 3 + random.nextInt((int) (last - first + 6));
                window.forgetUpTo(upTo);
                first = Math.max(first, Math.min(upTo, last) + 1);
            } else {
                long after = Math.max(first - 1, last - random.nextInt(5));
                window.dropAfter(after);
                all.subList((int) Math.min(after, last), all.size()).clear();
            }
            assertEquals(first, window.firstSeq(), "step " + step);
            assertEquals(all.size(), window.lastSeq(), "step " + step);
            for (long seq = first; seq <= window.lastSeq(); seq++) {
                assertEquals(all.get((int) seq - 1), window.get(seq));
            }
        }
    }

    @Test
    void droppingBeforeTheKeptPartRestartsNumberingThere() {
        SeqWindow<String> window = new SeqWindow<>();
        for (int i = 1; i <= 10; i++) {
            window.add("e" + i);
        }
        window.forgetUpTo(6);
        window.dropAfter(3);
        assertEquals(4, window.firstSeq());
        assertEquals(3, window.lastSeq());
        assertEquals(4, window.add("again"));
        assertEquals("again", window.get(4));
    }
}
