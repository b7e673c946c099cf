package org.opentrade.common.tracing;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Hands every sampled span, as it ends, to a {@link SpanStore}. Runs on the thread ending the span;
 * cost is one {@code toSpanData()} (a snapshot the SDK makes anyway for export) and the store's add.
 */
final class StoringSpanProcessor implements SpanProcessor {
    private final SpanStore store;

    StoringSpanProcessor(SpanStore store) {
        this.store = store;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        if (span.getSpanContext().isSampled()) {
            store.add(span.toSpanData());
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    @Override
    public CompletableResultCode shutdown() {
        // The store may be shared with other services in this JVM: keep its traces.
        return CompletableResultCode.ofSuccess();
    }
}
