/**
 * Dapper-style tracing shared by every service: one OpenTelemetry SDK per service ({@link
 * org.opentrade.common.tracing.Tracing}, never the global one), W3C {@code traceparent} and B3
 * propagation, export to Zipkin, and an in-memory {@link org.opentrade.common.tracing.SpanStore}
 * that answers "show me the trace of my request" without Zipkin.
 *
 * <p>Framework-free: no Vert.x here. Each service's HTTP adapter owns its filter.
 */
package org.opentrade.common.tracing;
