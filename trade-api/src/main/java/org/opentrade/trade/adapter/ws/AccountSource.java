package org.opentrade.trade.adapter.ws;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the order stream reads from the ledger to give a client a snapshot when it cannot replay what the
 * client missed. Called on the stream's owner context (the ledger's), so the answers are the ledger's
 * state as of the last {@link OrderStreams#publish} — the ledger must publish an update in the same task
 * that applies it.
 */
public interface AccountSource {

    /** The account's open orders as Order JSON (docs/contracts.md), in any order; empty when none. */
    List<JsonObject> openOrders(String account);

    /**
     * The seq of the account's last update (0: none). Used when the stream first meets an account that has
     * not published in this process (after a restart, or once its log was forgotten), so that a snapshot is
     * labelled with the ledger's seq and a client resuming at exactly that seq gets nothing twice. The
     * default (0) is safe but costs such clients a snapshot: implement it.
     */
    default long headSeq(String account) {
        return 0;
    }
}
