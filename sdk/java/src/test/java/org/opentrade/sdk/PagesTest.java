package org.opentrade.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PagesTest {
    @Test
    void followsNextCursorsUntilNullAndFetchesLazily() {
        List<String> asked = new ArrayList<>();
        Pages<Integer> pages = new Pages<>(cursor -> {
            asked.add(String.valueOf(cursor));
            if (cursor == null) {
                return new Pages.Page<>(List.of(1, 2), "c2");
            }
            return cursor.equals("c2") ? new Pages.Page<>(List.of(3), "c3") : new Pages.Page<>(List.of(4), null);
        });
        var it = pages.iterator();
        assertEquals(1, it.next());
        assertEquals(List.of("null"), asked, "the second page is fetched only when needed");
        List<Integer> rest = new ArrayList<>();
        it.forEachRemaining(rest::add);
        assertEquals(List.of(2, 3, 4), rest);
        assertEquals(List.of("null", "c2", "c3"), asked);
    }

    @Test
    void anEmptyPageEndsTheIterationEvenWithACursor() {
        List<Integer> all = new ArrayList<>();
        new Pages<Integer>(cursor -> cursor == null ? new Pages.Page<>(List.of(7), "more") : new Pages.Page<>(List.of(), "more"))
                .forEach(all::add);
        assertEquals(List.of(7), all);
    }
}
