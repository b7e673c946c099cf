package org.opentrade.trade.adapter.http;

/** Who is calling, as the gateway asserted it: the account is the developer id. */
public record Caller(String developerId, String keyId, String plan) {
}
