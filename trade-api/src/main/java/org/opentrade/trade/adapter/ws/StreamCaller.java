package org.opentrade.trade.adapter.ws;

import java.util.Objects;
import org.opentrade.common.error.TraceIds;

/**
 * Who is on an order-stream connection, as the wiring established it from the gateway's signed assertion
 * before the upgrade reached trade-api. The connection only ever gets this account's frames; nothing a
 * client sends on the socket can change it.
 *
 * @param account            the developer id: whose orders and fills the connection receives
 * @param keyId              the API key (for logs)
 * @param traceId            the upgrade request's trace id, carried by every error frame of the connection; a
 *                           missing or malformed one is replaced by a fresh random id
 * @param cancelOnDisconnect the upgrade asked for {@code ?cancel_on_disconnect=true}: when this connection
 *                           closes and no other opted-in connection of the account is open, the account's
 *                           open orders are cancelled
 */
public record StreamCaller(String account, String keyId, String traceId, boolean cancelOnDisconnect) {

    public StreamCaller {
        Objects.requireNonNull(account, "account");
        if (account.isBlank()) {
            throw new IllegalArgumentException("account must not be blank");
        }
        if (!TraceIds.isValid(traceId)) {
            traceId = TraceIds.random();
        }
    }
}
