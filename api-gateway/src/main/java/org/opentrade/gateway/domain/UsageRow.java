package org.opentrade.gateway.domain;

/**
 * Calls of one key on one route in one minute.
 *
 * @param calls2xx    calls answered 1xx, 2xx or 3xx
 * @param calls4xx    calls answered 4xx
 * @param calls5xx    calls answered 5xx
 * @param latencyMicrosTotal sum of latencies, for the mean
 * @param latencyMicrosMax   the slowest call
 */
public record UsageRow(String keyId, String route, long epochMinute, long calls2xx, long calls4xx, long calls5xx,
                       long latencyMicrosTotal, long latencyMicrosMax) {

    public long calls() {
        return calls2xx + calls4xx + calls5xx;
    }
}
