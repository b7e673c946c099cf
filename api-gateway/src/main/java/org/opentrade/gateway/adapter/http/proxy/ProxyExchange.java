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
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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
 * deadline), because a half-open breaker waits for its one probe's verdict. The exchange runs its end
 * action (giving back the request's in-flight slots) exactly once, when nothing more will be sent or
 * relayed: answer relayed or failed, deadline, or, for a read, its caller gone before any answer. A
 * caller who hangs up does not end it otherwise: an order or a cancel runs to its end upstream.
 */
final class ProxyExchange {
    /**
     * Answers of declared length up to this size are read whole before any of them is sent (so a stall
     * mid-answer can still be answered 504); longer ones, and chunked ones, are streamed (their memory
     * bounded by the pipe's back-pressure).
     */
    static final int AGGREGATE_MAX_BYTES = 64 * 1024;
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
    /** Gives back the request's in-flight slots. */
    private final Runnable onEnd;
    private int retriesLeft;
    private long timerId = -1;
    /** The caller has been answered (headers committed or an error sent); later events only clean up. */
    private boolean answered;
    private Attempt current;
    /** Nothing more will be sent or relayed ({@link #end}). */
    private boolean ended;
    /** {@link #onEnd} has run. */
    private boolean released;

    /** {@code onEnd} runs once, on this event loop, when the exchange has really ended (see the class comment). */
    ProxyExchange(RoutingContext ctx, UpstreamPool pool, UpstreamHopListener hops, MultiMap headers, Buffer body,
                  long timeoutMillis, long connectTimeoutMillis, int maxRetries, Runnable onEnd) {
        this.ctx = ctx;
        this.onEnd = onEnd;
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
        // Runs when the answer ends or the caller's connection closes, whichever is first.
        ctx.addEndHandler(done -> {
            if (done.failed()) {
                callerGone();
            }
        });
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

    /**
     * The caller's connection closed. Before any answer a read is stopped: reset upstream, not retried, and
     * not held against the instance (the caller ended it, not the upstream). An order or a cancel runs to
     * its end: resetting it would not undo what the upstream may already have done. Once an answer is being
     * relayed, the relay ends it (a failed write, or the deadline).
     */
    private void callerGone() {
        if (ended || answered || !idempotent) {
            return;
        }
        answered = true;
        cancelDeadline();
        current.abandon();
        end();
    }

    /**
     * Nothing more will be sent or relayed. The end action runs now, or, if the attempt still waits for a
     * pooled connection (it is still in flight, in Vert.x's wait queue), once it gets one and resets it or
     * the wait fails: within the connect timeout.
     */
    private void end() {
        ended = true;
        if (!released && (current == null || !current.waitingForConnection)) {
            released = true;
            onEnd.run();
        }
    }

    private void onDeadline() {
        timerId = -1;
        Attempt attempt = current;
        if (!answered || attempt.readingWhole) {
            // Nothing has reached the caller yet (no answer, or a small one still being read whole).
            answered = true;
            attempt.abort(new TimeoutException(pool.name() + " did not answer within " + timeoutMillis + " ms"));
            HttpErrors.send(ctx, GatewayError.UPSTREAM_TIMEOUT, pool.name() + " did not answer in time");
        } else {
            // Mid-body: the status line is gone, so the only honest signal left is a reset.
            attempt.abort(new TimeoutException(pool.name() + " did not finish its answer in time"));
            ctx.response().reset();
        }
        end();
    }

    private void answerUnavailable() {
        if (answered) {
            return;
        }
        answered = true;
        cancelDeadline();
        HttpErrors.send(ctx, GatewayError.UPSTREAM_UNAVAILABLE, pool.name() + " is unavailable");
        end();
    }

    private void cancelDeadline() {
        if (timerId >= 0) {
            ctx.vertx().cancelTimer(timerId);
            timerId = -1;
        }
    }

    /**
     * The declared length of an answer's body, or -1 when it has none (chunked, or until close) or it
     * does not parse (Vert.x's codec refuses such answers before they get here).
     */
    static long declaredLength(HttpClientResponse response) {
        String value = response.headers().get(HttpHeaders.CONTENT_LENGTH);
        if (value == null || response.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean retryableStatus(int status) {
        return status == 502 || status == 503 || status == 504;
    }

    /**
     * A deliberate refusal: a 503 or 429 carrying a well-formed {@code Retry-After} (delta-seconds or an
     * HTTP-date, RFC 9110 §10.2.3). The instance answered, on time and in its own words, that this request
     * cannot be served now (market-api's history store down, behind or slow, its bounded read pool full;
     * trade-api's intent log full): proof that it is alive, not that it is failing. So it never counts
     * toward opening the instance's breaker, and it is relayed as it is, never retried: the upstream said
     * when to come back, and the usual causes (a store all instances share, a pool a burst fills) would only
     * meet the retry too, at twice the load. A 503 without {@code Retry-After} is a failure like any other 5xx.
     */
    static boolean deliberateRefusal(int status, MultiMap headers) {
        if (status != 503 && status != 429) {
            return false;
        }
        String value = headers.get(HttpHeaders.RETRY_AFTER);
        if (value == null) {
            return false;
        }
        String v = value.trim();
        if (!v.isEmpty() && v.length() <= 10 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        try {
            DateTimeFormatter.RFC_1123_DATE_TIME.parse(v);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** One try on one instance. */
    private final class Attempt {
        private final UpstreamInstance instance;
        private Promise<Void> verdict;
        private UpstreamHopListener.Hop hop;
        private HttpClientRequest request;
        private boolean started;
        /** Sent while the breaker was half-open: this attempt is its one probe, whose verdict decides. */
        private boolean probe;
        private boolean over;
        /** Asked the client for a connection and has none yet: in Vert.x's wait queue, still in flight. */
        private boolean waitingForConnection;
        /** Reading a small answer whole ({@link #relayWhole}): nothing of it has reached the caller yet. */
        private boolean readingWhole;
        /** The instance answered a {@linkplain #deliberateRefusal deliberate refusal}: no failure of it. */
        private boolean refusal;

        Attempt(UpstreamInstance instance) {
            this.instance = instance;
        }

        /** Runs inside the breaker: the breaker let this call through. */
        void send(Promise<Void> verdict) {
            this.verdict = verdict;
            this.started = true;
            this.probe = instance.breakerState() == io.vertx.circuitbreaker.CircuitBreakerState.HALF_OPEN;
            // The exchange's own map, reused by a retry: the hop listener replaces the propagation
            // headers on each attempt, and the client copies the map when it builds the request.
            MultiMap outbound = headers;
            hop = hops.start(ctx, pool.name(), instance.target(), method.name(), ctx.request().path(), outbound);
            RequestOptions options = new RequestOptions().setMethod(method)
                    .setHost(instance.host()).setPort(instance.port())
                    .setURI(ctx.request().uri()).setHeaders(outbound)
                    .setConnectTimeout(connectTimeoutMillis);
            waitingForConnection = true;
            pool.httpClient().request(options).onComplete(ar -> {
                waitingForConnection = false;
                if (over) {
                    // Stopped while it waited (deadline, caller gone): never sent, and now out of the queue.
                    if (ar.succeeded()) {
                        // Its reset is reported to the request's handler; unsent, there is nothing to report.
                        ar.result().exceptionHandler(ignored -> { }).reset();
                    }
                    if (ended) {
                        end();
                    }
                    return;
                }
                if (ar.failed()) {
                    failedBeforeAnswer(ar.cause());
                    return;
                }
                request = ar.result();
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
            refusal = deliberateRefusal(status, response.headers());
            if (idempotent && retriesLeft > 0 && retryableStatus(status) && !refusal) {
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
            reportToBreaker(answeredWell(status), null);
            boolean bodyless = method == HttpMethod.HEAD || status == 204 || status == 304;
            long length = bodyless ? -1 : declaredLength(response);
            if (length >= 0 && length <= AGGREGATE_MAX_BYTES) {
                relayWhole(response, status);
                return;
            }
            HttpServerResponse out = head(response, status);
            if (!bodyless && length < 0) {
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
                end();
            });
        }

        /**
         * A small answer of declared length, the usual API answer: read whole, then sent with its head. Until
         * then nothing has reached the caller, so a deadline passing meanwhile is answered 504 in the error
         * model ({@link #readingWhole}). An upstream that breaks before the declared end resets the caller, as
         * a broken stream does; a caller gone meanwhile ends the hop as failed.
         */
        private void relayWhole(HttpClientResponse response, int status) {
            readingWhole = true;
            response.body().onComplete(ar -> {
                readingWhole = false;
                cancelDeadline();
                if (over) {
                    return;
                }
                if (ar.succeeded() && ctx.response().closed()) {
                    finish(status, new IllegalStateException("the caller's connection closed before the answer"));
                } else if (ar.succeeded()) {
                    head(response, status).end(ar.result());
                    finish(status, null);
                } else {
                    finish(status, ar.cause());
                    request.reset();
                    ctx.response().reset();
                }
                end();
            });
        }

        /** The caller's response with the upstream's status and headers (minus hop-by-hop ones). */
        private HttpServerResponse head(HttpClientResponse response, int status) {
            HttpServerResponse out = ctx.response();
            String ownTraceId = out.headers().get(HttpErrors.TRACE_HEADER_NAME);
            out.setStatusCode(status);
            ForwardHeaders.copyResponse(response.headers(), out.headers());
            ForwardHeaders.oneTraceId(out.headers(), ownTraceId, HttpErrors.traceId(ctx));
            return out;
        }

        /**
         * Its caller hung up before any answer: stop it. Reported to the breaker as no failure, since the
         * caller ended it, not the instance; but a half-open breaker's probe proved nothing, and is reported
         * failed so the breaker stays open (closed, it sent every request back to an instance that may still hang).
         */
        void abandon() {
            if (!over) {
                over = true;
                if (started) {
                    reportToBreaker(!probe, probe ? new IllegalStateException("the probe's caller hung up before an"
                            + " answer: no verdict on " + instance.target()) : null);
                    hop.end(-1, new IllegalStateException("the caller's connection closed before the answer"));
                }
            }
            if (request != null) {
                request.reset();
            }
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
            reportToBreaker(failure == null && answeredWell(status), failure);
            hop.end(status, failure);
        }

        /**
         * The instance answered as a healthy one does: below 500, or a deliberate refusal. Other 5xx (500, 502,
         * 504, a 503 without {@code Retry-After}) count against it, as do connect failures, resets and timeouts.
         */
        private boolean answeredWell(int status) {
            return status >= 0 && (status < 500 || refusal);
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
