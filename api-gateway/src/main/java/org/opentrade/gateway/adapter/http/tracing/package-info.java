/**
 * The gateway's part of tracing: the first filter of every request opens the SERVER span and
 * answers {@code X-Trace-Id}; every upstream call gets a CLIENT span whose context travels in
 * {@code traceparent} and {@code X-B3-*}; developers read their own traces at
 * {@code GET /v1/traces/{trace_id}}. The SDK, propagators and span store come from
 * {@code org.opentrade.common.tracing}.
 *
 * <p>Vert.x runs a request's handlers on one event loop but not inside one OpenTelemetry {@code
 * Context} scope, so the request's span and context live in the {@code RoutingContext} (see
 * {@link org.opentrade.gateway.adapter.http.tracing.TracingFilter#context}), never in a thread-local.
 */
package org.opentrade.gateway.adapter.http.tracing;
