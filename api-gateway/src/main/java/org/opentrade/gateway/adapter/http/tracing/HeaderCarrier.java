package org.opentrade.gateway.adapter.http.tracing;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.MultiMap;

/** Lets the propagators read and write Vert.x headers (case-insensitive multimaps). Stateless. */
final class HeaderCarrier implements TextMapGetter<MultiMap>, TextMapSetter<MultiMap> {
    static final HeaderCarrier INSTANCE = new HeaderCarrier();

    private HeaderCarrier() {
    }

    @Override
    public Iterable<String> keys(MultiMap carrier) {
        return carrier.names();
    }

    @Override
    public String get(MultiMap carrier, String key) {
        return carrier == null ? null : carrier.get(key);
    }

    @Override
    public void set(MultiMap carrier, String key, String value) {
        if (carrier != null) {
            carrier.set(key, value);
        }
    }
}
