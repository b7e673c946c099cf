package org.opentrade.sdk;

import java.net.URI;
import java.time.Duration;

/** Told of every retry before its wait: for logs and metrics. Called on the calling thread; keep it quick. */
@FunctionalInterface
public interface RetryListener {
    /**
     * @param attempt the attempt that failed (from 1)
     * @param method the request's method
     * @param uri the request's URI
     * @param status the answer's status, or 0 when none came (timeout, connection failure)
     * @param wait how long before the next attempt ({@code Retry-After} or back-off)
     */
    void onRetry(int attempt, String method, URI uri, int status, Duration wait);

    RetryListener NONE = (attempt, method, uri, status, wait) -> { };
}
