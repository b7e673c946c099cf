package org.opentrade.common.web;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The end of a request's answer, for what acts on it: request metrics, metering, the SERVER span. Vert.x Web
 * runs a RoutingContext's end handlers when the answer ends or the connection closes first, but never for a
 * request upgraded to a WebSocket: the handshake writes the 101, and the answer as Vert.x Web sees it never
 * ends. Each stream's SERVER span was lost (its trace kept only the gateway's CLIENT span, with no parent)
 * and no stream opening reached the request counters. Listeners registered here run exactly once: when the
 * answer ends, or when {@link #upgraded} says the request became a stream, whichever comes first.
 *
 * <p>Listeners run in the reverse order of their registration, as Vert.x Web runs end handlers: the one
 * registered first (the SERVER span, by the first filter) ends last. On the request's event loop only.
 */
public final class AnswerEnd {

    /** What runs when the answer ends. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param status    the answer's status; 101 for a request that became a stream
         * @param completed false when the connection closed before the answer ended
         */
        void ended(int status, boolean completed);
    }

    private static final String KEY = "opentrade.answerEnd";

    private final List<Listener> listeners = new ArrayList<>(4);
    private boolean ended;

    private AnswerEnd() {
    }

    /** Runs {@code listener} once when the request's answer ends (see the class comment). */
    public static void on(RoutingContext ctx, Listener listener) {
        AnswerEnd end = ctx.get(KEY);
        if (end == null) {
            AnswerEnd created = new AnswerEnd();
            ctx.put(KEY, created);
            ctx.addEndHandler(done -> created.end(ctx.response().getStatusCode(), done.succeeded()));
            end = created;
        }
        end.listeners.add(listener);
    }

    /**
     * The request was upgraded to a WebSocket, whose answer never ends: ends it now with {@code status} (101
     * once the stream is served; a refusal's status when a socket upgraded before authentication is refused) and
     * {@code completed} (false when the socket closed before either). No-op when it has ended already.
     */
    public static void upgraded(RoutingContext ctx, int status, boolean completed) {
        AnswerEnd end = ctx.get(KEY);
        if (end != null) {
            end.end(status, completed);
        }
    }

    private void end(int status, boolean completed) {
        if (ended) {
            return;
        }
        ended = true;
        for (int i = listeners.size() - 1; i >= 0; i--) {
            listeners.get(i).ended(status, completed);
        }
    }
}
