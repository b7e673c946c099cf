package org.opentrade.market.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.market.adapter.memory.InMemoryTimeSeriesStore;
import org.opentrade.market.domain.Instrument;
import org.opentrade.market.domain.Trade;
import org.opentrade.market.port.ForwardingTimeSeriesStore;

/**
 * An instrument of the exchange's universe whose history the store cannot hold: its trades, refused at every
 * start, used to freeze its shard's checkpoint for good (every restart replayed from there). It is left out at
 * start instead, said once and counted, and the shard's checkpoint follows the feed.
 */
class UnstorableSymbolTest {
    private static final String STORED = "600000.SH";
    /** 13 characters before the dot: more than {@link Instrument#SYMBOL} allows (the InfluxDB adapter refuses it). */
    private static final String TOO_LONG = "1234567890123.SH";
    /** A symbol clients may ask for that this store says it cannot hold. */
    private static final String REFUSED = "REFUSED.SH";

    @TempDir
    Path dir;

    /** Like the InfluxDB adapter: refuses, for good, any trade of a symbol it cannot hold. */
    static final class StrictStore extends ForwardingTimeSeriesStore {
        StrictStore() {
            super(new InMemoryTimeSeriesStore());
        }

        @Override
        public String refusal(String symbol) {
            return REFUSED.equals(symbol) ? "this store keeps no " + symbol : null;
        }

        @Override
        public void writeTrades(List<Trade> trades) {
            for (Trade t : trades) {
                if (REFUSED.equals(t.symbol()) || !Instrument.SYMBOL.matcher(t.symbol()).matches()) {
                    throw new IllegalArgumentException("cannot store symbol " + t.symbol());
                }
            }
            delegate.writeTrades(trades);
        }
    }

    @Test
    void anInstrumentTheStoreCannotHoldIsLeftOutAndTheShardCheckpointMovesOn() throws Exception {
        Path universe = dir.resolve("universe.csv");
        Files.writeString(universe, "symbol,name,prev_close,float_shares,eps\n" + STORED + ",Stored,10.00,1000000,1.00\n"
                + TOO_LONG + ",Too long,10.00,1000000,1.00\n" + REFUSED + ",Refused,10.00,1000000,1.00\n");
        StrictStore store = new StrictStore();
        try (MarketHarness h = MarketHarness.start(Map.of("OPENTRADE_EXCHANGE_INSTRUMENTS", universe.toString()),
                c -> store)) {
            // The unstorable symbols trade first, then one the store takes.
            long id = 1;
            for (String symbol : List.of(TOO_LONG, REFUSED, STORED)) {
                h.limit(id++, "alice", symbol, "SELL", "10.00", 100);
                h.limit(id++, "bob", symbol, "BUY", "10.00", 100);
            }
            h.until(() -> store.trades(STORED, 0, Long.MAX_VALUE, Long.MAX_VALUE, 10).size() == 1, 10);
            long applied = h.market.appliedSeq(0);
            // The checkpoint passes the unstorable trades (it froze before the first of them, for good).
            h.until(() -> store.checkpoints().getOrDefault(0, 0L) >= applied, 10);
            String metrics = h.market.metrics();
            assertTrue(metrics.contains("market_history_rejected_total 0"), metrics);
            assertTrue(metrics.contains("market_universe_refused 2"), metrics);
            assertEquals(404, h.get("/v1/market/instruments/" + REFUSED).statusCode());
            assertEquals(200, h.get("/v1/market/instruments/" + STORED).statusCode());
        }
    }
}
