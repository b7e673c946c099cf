package org.opentrade.gateway.domain;

/**
 * One metered call.
 *
 * @param route        the route template, e.g. {@code GET /v1/market/depth/{symbol}}
 * @param epochMinute  {@code epochMillis / 60000} of the call's arrival
 * @param status       the HTTP status answered
 * @param latencyMicros time from arrival to the response's end
 */
public record UsageSample(String keyId, String route, long epochMinute, int status, long latencyMicros) {
}
