package org.opentrade.trade.domain.ledger;

import org.opentrade.trade.domain.Fill;
import org.opentrade.trade.domain.Order;

/**
 * One account-visible change, in the order the ledger made it: exactly one of {@code order} (the
 * order as it is after the change) and {@code fill} is set. {@code seq} is the account's order-stream
 * sequence: gap-free from 1 per account, part of the ledger state (it survives snapshots, resets and
 * rebuilds), so a stream client can resume from it.
 */
public record Update(String account, long seq, Order order, Fill fill) {
    public boolean isFill() {
        return fill != null;
    }
}
