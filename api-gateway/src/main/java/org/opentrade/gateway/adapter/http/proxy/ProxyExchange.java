package org.opentrade.gateway.adapter.http.proxy;

import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.opentrade.gateway.adapter.http.HttpErrors;
import org.opentrade.gateway.adapter.http.UpstreamHopListener;
import org.opentrade.gateway.domain.GatewayError;

/**
 * One proxied REST request: its attempts on instances, its deadline and its answer. Confined to the
 * event loop of the caller's connection: no locks. Every attempt reports exactly once to its
 * instance's breaker and ends its hop exactly once, whatever ends it first (answer, failure,
 * deadline), because a half-open breaker waits for its one probe's verdict.
 */
final class ProxyExchange {
    private final RoutingContext ctx;
    private final UpstreamPool pool;
    private final UpstreamHopListener hops;
    private final MultiMap headers;
    private final Buffer body;
    private final long timeoutMillis;
    private final long connectTimeoutMillis;
    private final HttpMethod method;
    private final boolean idempotent;
    private final List<UpstreamInstance> tried = new ArrayList<>(2);
    /** The caller's account partition in a partitioned pool, else 0. */
    private final int partition;
    private int retriesLeft;
    private long timerId = -1;
    /** The caller has been answered (headers committed or an error sent); later events only clean up. */
    private boolean answered;
    private Attempt current;

    ProxyExchange(RoutingContext ctx, UpstreamPool pool, UpstreamHopListener hops, MultiMap headers, Buffer body,
                  long timeoutMillis, long connectTimeoutMillis, int maxRetries) {
        this.ctx = ctx;
        this.pool = pool;
        this.partition = pool.partitionOf(UpstreamPool.developerOf(ctx));
        this.hops = hops;
        this.headers = headers;
        this.body = body;
        this.timeoutMillis = timeoutMillis;
        this.connectTimeoutMillis = connectTimeoutMillis;
        // A HEAD is asked upstream as its GET (the services route GETs only); the gateway's server sends the
        // caller the answer's head without its body, as HEAD wants (RFC 9110 §9.3.2).
        this.method = ctx.request().method() == HttpMethod.HEAD ? HttpMethod.GET : ctx.request().method();
        this.idempotent = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
        this.retriesLeft = idempotent ? maxRetries : 0;
    }

    void start() {
        UpstreamInstance first = pool.select(tried, partition);
        if (first == null) {
            // The fast path when a pool is down: no timer, no connect attempt.
            answerUnavailable();
            return;
        }
        timerId = ctx.vertx().setTimer(timeoutMillis, id -> onDeadline());
        attempt(first);
    }

    private void attempt(UpstreamInstance instance) {
        tried.add(instance);
        Attempt attempt = new Attempt(instance);
        current = attempt;
        instance.breaker().<Void>execute(attempt::send).onFailure(failure -> {
            if (!attempt.started && failure instanceof OpenCircuitException) {
                // Half-open with its probe already out: nothing was sent, so any method may move on.
                tryNextOr(this::answerUnavailable);
            }
        });
    }

    private void tryNextOr(Runnable otherwise) {
        UpstreamInstance next = answered ? null : pool.select(tried, partition);
        if (next != null) {
            attempt(next);
        } else {
            otherwise.run();
        }
    }

    private void onDeadline() {
        timerId = -1;
        Attempt attempt = current;
        if (!answered) {
            answered = true;
            attempt.abort(new TimeoutException(pool.name() + " did not answer within " + timeoutMillis + " ms"));
            HttpErrors.send(ctx, GatewayError.UPSTREAM_TIMEOUT, pool.name() + " did not answer in time");
        } else {
            // Mid-body: the status line is gone, so the only honest signal left is a reset.
            attempt.abort(new TimeoutException(pool.name() + " did not finish its answer in time"));
            ctx.response().reset();
        }
    }

    private void answerUnavailable() {
        if (answered) {
            return;
        }
        answered = true;
        cancelDeadline();
        HttpErrors.send(ctx, GatewayError.UPSTREAM_UNAVAILABLE, pool.name() + " is unavailable");
    }

    private void cancelDeadline() {
        if (timerId >= 0) {
            ctx.vertx().cancelTimer(timerId);
            timerId = -1;
        }
    }

    private static boolean retryableStatus(int status) {
        return status == 502 || status == 503 || status == 504;
    }

    /** One try on one instance. */
    private final class Attempt {
        private final UpstreamInstance instance;
        private Promise<Void> verdict;
        private UpstreamHopListener.Hop hop;
        private HttpClientRequest request;
        private boolean started;
        private boolean over;

        Attempt(UpstreamInstance instance) {
            this.instance = instance;
        }

        /** Runs inside the breaker: the breaker let this call through. */
        void send(Promise<Void> verdict) {
            this.verdict = verdict;
            this.started = true;
            // The exchange's own map, reused by a retry: the hop listener replaces the propagation
            // headers on each attempt, and the client copies the map when it builds the request.
            MultiMap outbound = headers;
            hop = hops.start(ctx, pool.name(), instance.target(), method.name(), ctx.request().path(), outbound);
            RequestOptions options = new RequestOptions().setMethod(method)
                    .setHost(instance.host()).setPort(instance.port())
                    .setURI(ctx.request().uri()).setHeaders(outbound)
                    .setConnectTimeout(connectTimeoutMillis);
            pool.httpClient().request(options).onComplete(ar -> {
                if (ar.failed()) {
                    failedBeforeAnswer(ar.cause());
                    return;
                }
                request = ar.result();
                if (over) {
                    request.reset();
                    return;
                }
                Future<HttpClientResponse> response = body == null ? request.send() : request.send(body);
                response.onComplete(rar -> {
                    if (rar.failed()) {
                        failedBeforeAnswer(rar.cause());
                    } else {
                        onResponse(rar.result());
                    }
                });
            });
        }

        private void failedBeforeAnswer(Throwable cause) {
            if (over) {
                return;
            }
            finish(-1, cause);
            if (idempotent && retriesLeft > 0) {
                retriesLeft--;
                tryNextOr(ProxyExchange.this::answerUnavailable);
            } else {
                answerUnavailable();
            }
        }

        private void onResponse(HttpClientResponse response) {
            int status = response.statusCode();
            if (over) {
                request.reset();
                return;
            }
            if (idempotent && retriesLeft > 0 && retryableStatus(status)) {
                UpstreamInstance next = pool.select(tried, partition);
                if (next != null) {
                    retriesLeft--;
                    finish(status, null);
                    response.body(); // drain the short error body so the connection is reused
                    attempt(next);
                    return;
                }
            }
            relay(response);
        }

        private void relay(HttpClientResponse response) {
            answered = true;
            int status = response.statusCode();
            reportToBreaker(status < 500, null);
            HttpServerResponse out = ctx.response();
            String ownTraceId = out.headers().get(HttpErrors.TRACE_HEADER);
            out.setStatusCode(status);
            ForwardHeaders.copyResponse(response.headers(), out.headers());
            ForwardHeaders.oneTraceId(out.headers(), ownTraceId, HttpErrors.traceId(ctx));
            boolean bodyless = method == HttpMethod.HEAD || status == 204 || status == 304;
            if (!bodyless && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                out.setChunked(true);
            }
            // endOnFailure(false): a broken upstream must not end the caller's response cleanly.
            response.pipe().endOnFailure(false).to(out).onComplete(ar -> {
                cancelDeadline();
                if (over) {
                    return;
                }
                if (ar.succeeded()) {
                    finish(status, null);
                } else {
                    finish(status, ar.cause());
                    request.reset();
                    out.reset();
                }
            });
        }

        /** The deadline passed: stop this attempt. */
        void abort(Throwable cause) {
            if (!over) {
                finish(-1, cause);
            }
            if (request != null) {
                request.reset();
            }
        }

        private void finish(int status, Throwable failure) {
            over = true;
            if (!started) {
                return;
            }
            reportToBreaker(failure == null && status < 500, failure);
            hop.end(status, failure);
        }

        private void reportToBreaker(boolean ok, Throwable failure) {
            if (verdict == null) {
                return;
            }
            if (ok) {
                verdict.tryComplete();
            } else {
                verdict.tryFail(failure != null ? failure : new IllegalStateException(pool.name() + " answered 5xx"));
            }
        }
    }
}
