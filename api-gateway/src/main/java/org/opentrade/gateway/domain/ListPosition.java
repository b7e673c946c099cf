package org.opentrade.gateway.domain;

import java.util.Comparator;
import java.util.Optional;

/**
 * Where a listing of developers or keys stands: the creation time and id of the last item shown. Both stores list
 * oldest first, ties by id, so a page after a position is exact however many items are added or deleted meanwhile
 * (an offset would skip one for each older item deleted, as revoked keys are).
 */
public record ListPosition(long createdAt, String id) implements Comparable<ListPosition> {
    private static final Comparator<ListPosition> ORDER = Comparator.comparingLong(ListPosition::createdAt)
            .thenComparing(ListPosition::id);

    public static ListPosition of(Developer d) {
        return new ListPosition(d.createdAt(), d.id());
    }

    public static ListPosition of(ApiKey k) {
        return new ListPosition(k.createdAt(), k.id());
    }

    @Override
    public int compareTo(ListPosition o) {
        return ORDER.compare(this, o);
    }

    /** The cursor text a client sends back: {@code <createdAt>.<id>}. */
    public String cursor() {
        return createdAt + "." + id;
    }

    /** A cursor this class wrote; empty for anything else. */
    public static Optional<ListPosition> parse(String cursor) {
        int dot = cursor.indexOf('.');
        if (dot < 1 || dot > 19 || cursor.length() - dot - 1 < 1 || cursor.length() - dot - 1 > 64) {
            return Optional.empty();
        }
        String millis = cursor.substring(0, dot);
        String id = cursor.substring(dot + 1);
        if (!millis.chars().allMatch(c -> c >= '0' && c <= '9') || !id.chars().allMatch(ListPosition::idChar)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ListPosition(Long.parseLong(millis), id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean idChar(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }
}
