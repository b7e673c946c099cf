package org.opentrade.common.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Span attribute names OpenTrade adds beside the OpenTelemetry semantic conventions. The store
 * reads {@link #DEVELOPER_ID} to learn who owns a trace.
 */
public final class TraceAttributes {
    /** The developer a request was authenticated as; the gateway sets it on its server span. */
    public static final AttributeKey<String> DEVELOPER_ID = AttributeKey.stringKey("opentrade.developer_id");
    /** The upstream pool a gateway client span calls (e.g. {@code market-api}). */
    public static final AttributeKey<String> UPSTREAM = AttributeKey.stringKey("opentrade.upstream");
    /** OpenTelemetry's resource attribute naming the service that recorded a span. */
    public static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private TraceAttributes() {
    }
}
