package org.opentrade.sdk;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Iterates a cursor-paged list ({@code {"items": [...], "next_cursor": ...}}) item by item, fetching
 * the next page only when the current one is used up; stops at a null {@code next_cursor} or an empty
 * page. Each page is one request, so a long iteration counts against the key's budget.
 *
 * @param <T> the item type
 */
public final class Pages<T> implements Iterable<T> {

    /** One page: its items and the cursor of the next (null: the last page). */
    public record Page<T>(List<T> items, String nextCursor) { }

    /** Fetches the page at a cursor (null: the first page). */
    @FunctionalInterface
    public interface PageFetcher<T> {
        Page<T> fetch(String cursor);
    }

    private final PageFetcher<T> fetcher;

    public Pages(PageFetcher<T> fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private Iterator<T> current = List.<T>of().iterator();
            private String cursor;
            private boolean started;
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && !exhausted) {
                    if (started && cursor == null) {
                        exhausted = true;
                        break;
                    }
                    Page<T> page = fetcher.fetch(cursor);
                    started = true;
                    List<T> items = page.items() == null ? List.of() : page.items();
                    cursor = page.nextCursor();
                    if (items.isEmpty()) {
                        exhausted = true;
                    }
                    current = items.iterator();
                }
                return current.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
