package org.opentrade.trade.domain.ledger;

import java.util.List;

/**
 * One page of a newest-first list; {@code nextCursor} (opaque) fetches the next page, null at the end.
 */
public record Page<T>(List<T> items, String nextCursor) {
}
