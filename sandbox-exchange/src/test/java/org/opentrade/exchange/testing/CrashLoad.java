package org.opentrade.exchange.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * The crash tests' random mixed load over {@link CrashUniverse}: 25 % cancels and 10 % replaces of
 * live orders, the rest new limit orders (GTC, some DAY and IOC) around each symbol's price, 20
 * accounts, so trades, partial fills and self-trade prevention all happen. Deterministic per seed.
 */
public final class CrashLoad {
    private final SplittableRandom rnd;
    private final List<long[]> live = new ArrayList<>(); // {orderId, symbolIndex}
    private long nextId;

    /** @param firstId the first new order's id; later ones count up */
    public CrashLoad(long seed, long firstId) {
        this.rnd = new SplittableRandom(seed);
        this.nextId = firstId;
    }

    /** The next command, stamped {@code ts}. */
    public Command next(long ts) {
        String[] symbols = CrashUniverse.SYMBOLS;
        long[] prices = CrashUniverse.PRICES;
        int r = rnd.nextInt(100);
        if (r < 25 && !live.isEmpty()) {
            long[] o = live.remove(rnd.nextInt(live.size()));
            return Command.cancel(o[0], symbols[(int) o[1]], ts);
        }
        if (r < 35 && !live.isEmpty()) {
            long[] o = live.get(rnd.nextInt(live.size()));
            int s = (int) o[1];
            return Command.replace(o[0], symbols[s], prices[s] + rnd.nextInt(-5, 6), 100L * rnd.nextInt(1, 10), ts);
        }
        int s = rnd.nextInt(symbols.length);
        Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
        TimeInForce tif = rnd.nextInt(10) == 0 ? TimeInForce.IOC
                : rnd.nextInt(5) == 0 ? TimeInForce.DAY : TimeInForce.GTC;
        long id = nextId++;
        live.add(new long[] {id, s});
        if (live.size() > 2_000) {
            live.remove(0);
        }
        return Command.limit(id, "acct-" + rnd.nextInt(20), symbols[s], side, tif, prices[s] + rnd.nextInt(-8, 9),
                100L * rnd.nextInt(1, 20), ts);
    }
}
