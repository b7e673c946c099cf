package org.opentrade.market.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opentrade.exchange.model.BookLevel;

/**
 * The change between two top-of-book views of one side: every level whose quantity differs, with
 * quantity 0 for a level that left the view. Applying the diff to {@code before} (set each level's
 * quantity, drop zeros, keep best first) gives exactly {@code after}.
 */
public final class DepthDiff {
    private DepthDiff() {
    }

    /** @param bids true for the bid side (best = highest price), false for asks (best = lowest) */
    public static List<BookLevel> diff(List<BookLevel> before, List<BookLevel> after, boolean bids) {
        Map<Long, BookLevel> old = new HashMap<>();
        for (BookLevel l : before) {
            old.put(l.price(), l);
        }
        List<BookLevel> out = new ArrayList<>();
        for (BookLevel l : after) {
            BookLevel was = old.remove(l.price());
            if (was == null || was.qty() != l.qty()) {
                out.add(l);
            }
        }
        for (BookLevel gone : old.values()) {
            out.add(new BookLevel(gone.price(), 0, 0));
        }
        out.sort((a, b) -> bids ? Long.compare(b.price(), a.price()) : Long.compare(a.price(), b.price()));
        return out;
    }

    /** Applies a diff to a view (the client's side of the contract; used by tests). */
    public static List<BookLevel> apply(List<BookLevel> view, List<BookLevel> diff, boolean bids) {
        Map<Long, BookLevel> m = new HashMap<>();
        for (BookLevel l : view) {
            m.put(l.price(), l);
        }
        for (BookLevel d : diff) {
            if (d.qty() == 0) {
                m.remove(d.price());
            } else {
                m.put(d.price(), d);
            }
        }
        List<BookLevel> out = new ArrayList<>(m.values());
        out.sort((a, b) -> bids ? Long.compare(b.price(), a.price()) : Long.compare(a.price(), b.price()));
        return out;
    }
}
