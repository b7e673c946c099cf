package org.opentrade.exchange.client;

/** Which exchange shard owns a symbol: the one rule both the exchange and its consumers use. */
public final class Shards {
    private Shards() {
    }

    /** The shard of {@code symbol} among {@code shardCount}: stable for a given count (journals depend on it). */
    public static int of(String symbol, int shardCount) {
        return Math.floorMod(symbol.hashCode(), shardCount);
    }
}
