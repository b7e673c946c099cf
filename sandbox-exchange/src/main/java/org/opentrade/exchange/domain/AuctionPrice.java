package org.opentrade.exchange.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.opentrade.exchange.model.Price;
import org.opentrade.exchange.model.Side;

/**
 * Call-auction price discovery: the price that executes the most volume; ties go to the smallest
 * imbalance between the two sides, then to the price nearest the reference (previous close), then
 * to the lower price. Runs at phase boundaries only, so clarity beats speed here.
 */
final class AuctionPrice {
    private AuctionPrice() {
    }

    /** The uncross price, or {@link Price#NONE} when nothing can execute. */
    static long of(OrderBook book, long reference) {
        List<long[]> bids = levels(book, Side.BUY);
        List<long[]> asks = levels(book, Side.SELL);
        TreeSet<Long> candidates = new TreeSet<>();
        bids.forEach(l -> candidates.add(l[0]));
        asks.forEach(l -> candidates.add(l[0]));
        long bestPrice = Price.NONE;
        long bestVolume = 0;
        long bestImbalance = Long.MAX_VALUE;
        long bestDistance = Long.MAX_VALUE;
        for (long p : candidates) {
            long buy = 0;
            for (long[] l : bids) {
                if (l[0] >= p) {
                    buy += l[1];
                }
            }
            long sell = 0;
            for (long[] l : asks) {
                if (l[0] <= p) {
                    sell += l[1];
                }
            }
            long volume = Math.min(buy, sell);
            if (volume == 0) {
                continue;
            }
            long imbalance = Math.abs(buy - sell);
            long distance = reference == Price.NONE ? 0 : Math.abs(p - reference);
            boolean better = volume > bestVolume
                    || (volume == bestVolume && imbalance < bestImbalance)
                    || (volume == bestVolume && imbalance == bestImbalance && distance < bestDistance);
            if (better) {
                bestPrice = p;
                bestVolume = volume;
                bestImbalance = imbalance;
                bestDistance = distance;
            }
        }
        return bestPrice;
    }

    private static List<long[]> levels(OrderBook book, Side side) {
        List<long[]> out = new ArrayList<>();
        book.forEachLevel(side, (price, qty, count) -> {
            out.add(new long[] {price, qty});
            return true;
        });
        return out;
    }
}
