package org.opentrade.exchange.model;

import java.util.List;

/**
 * Every symbol's book of shard {@code shard} as of its event {@code seq}. The sequence is the shard's own,
 * carried even when the shard has no symbol (then {@code books} is empty and a consumer simply continues
 * after {@code seq}); every book is stamped with it.
 */
public record ShardSnapshot(int shard, long seq, List<BookSnapshot> books) {
    public ShardSnapshot {
        books = List.copyOf(books);
    }
}
