package org.opentrade.trade.adapter.file;

/**
 * A stored file is damaged in a way the store will not repair on its own, because repairing would
 * drop data that may have been acknowledged (a bad record with intact records after it) or would
 * guess (an unreadable exchange-id reservation). The message names the file, the offset and what to do.
 */
public final class CorruptLogException extends RuntimeException {
    public CorruptLogException(String message) {
        super(message);
    }
}
