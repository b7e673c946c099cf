package org.opentrade.gateway.adapter.http.tracing;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opentrade.common.tracing.Tracing;

/** Lets the propagators read and write Vert.x headers (case-insensitive multimaps). Stateless. */
final class HeaderCarrier implements TextMapGetter<MultiMap>, TextMapSetter<MultiMap> {
    static final HeaderCarrier INSTANCE = new HeaderCarrier();
    /**
     * {@link Tracing#PROPAGATION_HEADERS} with their hash computed once ({@code HttpHeaders.createOptimized}):
     * removed and set on every proxied call.
     */
    static final List<CharSequence> PROPAGATION_NAMES = Tracing.PROPAGATION_HEADERS.stream()
            .map(HttpHeaders::createOptimized).toList();
    /** The propagators' own key Strings to the same names, pre-hashed. */
    private static final Map<String, CharSequence> OPTIMIZED = new HashMap<>();

    static {
        for (CharSequence name : PROPAGATION_NAMES) {
            OPTIMIZED.put(name.toString(), name);
        }
    }

    private HeaderCarrier() {
    }

    @Override
    public Iterable<String> keys(MultiMap carrier) {
        return carrier.names();
    }

    @Override
    public String get(MultiMap carrier, String key) {
        if (carrier == null) {
            return null;
        }
        CharSequence name = OPTIMIZED.get(key);
        return name != null ? carrier.get(name) : carrier.get(key);
    }

    @Override
    public void set(MultiMap carrier, String key, String value) {
        if (carrier != null) {
            CharSequence name = OPTIMIZED.get(key);
            carrier.set(name != null ? name : key, value);
        }
    }
}
