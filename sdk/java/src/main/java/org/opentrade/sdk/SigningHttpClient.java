package org.opentrade.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The HTTP client under the generated API classes: every attempt is signed afresh by the
 * {@link Credentials} over the exact bytes sent, and a request that is safe to repeat is retried by
 * the {@link RetryPolicy}. Blocking {@link #send} retries; {@link #sendAsync} signs but does not retry.
 *
 * <p>Thread-safe; one instance per {@link OpenTrade}. Retries sleep on the calling thread.
 */
final class SigningHttpClient extends HttpClient {
    private final HttpClient delegate;
    private final Credentials credentials;
    private final RetryPolicy retry;
    private final RetryListener retries;

    SigningHttpClient(HttpClient delegate, Credentials credentials, RetryPolicy retry, RetryListener retries) {
        this.delegate = delegate;
        this.credentials = credentials;
        this.retry = retry;
        this.retries = retries;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        byte[] body = bodyBytes(request);
        boolean repeatable = isRepeatable(request);
        for (int attempt = 1; ; attempt++) {
            boolean last = !repeatable || attempt >= retry.maxAttempts();
            HttpResponse<T> response;
            try {
                response = delegate.send(signed(request, body), handler);
            } catch (HttpTimeoutException | ConnectException e) {
                // A refused or timed-out connection never carried the request: safe to repeat whatever it is.
                boolean neverSent = e instanceof HttpConnectTimeoutException || e instanceof ConnectException;
                if (attempt >= retry.maxAttempts() || !(repeatable || neverSent)) {
                    throw described(e, request);
                }
                Duration wait = retry.backoff(attempt);
                retries.onRetry(attempt, request.method(), request.uri(), 0, wait);
                sleep(wait);
                continue;
            }
            if (last || !(RetryPolicy.retryableStatus(response.statusCode()) || stillRunning(request, response))) {
                return response;
            }
            Duration wait = response.headers().firstValue("Retry-After").map(RetryPolicy::parseRetryAfter)
                    .orElse(null);
            if (wait != null && wait.compareTo(retry.maxRetryAfter()) > 0) {
                return response; // longer than the caller allows: the error says how long
            }
            discard(response);
            Duration pause = wait != null ? wait : retry.backoff(attempt);
            retries.onRetry(attempt, request.method(), request.uri(), response.statusCode(), pause);
            sleep(pause);
        }
    }

    /**
     * {@code e} (same type, it as the cause) saying which call got no answer: the JDK's says only
     * "java.net.ConnectException".
     */
    static IOException described(IOException e, HttpRequest request) {
        String text = "no answer to " + request.method() + " " + request.uri() + ": " + e;
        IOException d = e instanceof HttpConnectTimeoutException ? new HttpConnectTimeoutException(text)
                : e instanceof HttpTimeoutException ? new HttpTimeoutException(text)
                : e instanceof ConnectException ? new ConnectException(text) : new IOException(text);
        d.initCause(e);
        return d;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return delegate.sendAsync(signed(request, bodyBytes(request)), handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return delegate.sendAsync(signed(request, bodyBytes(request)), handler, pushPromiseHandler);
    }

    /**
     * A 409 with {@code Retry-After} to a request under an {@code Idempotency-Key}: the key's first request is still
     * being answered (-4115), and a retry after the wait gets its answer. Refused as a conflict, a close whose first
     * attempt's answer was lost (504) was reported refused while its sell ran, and called again under a new key it
     * sold twice.
     */
    static boolean stillRunning(HttpRequest request, HttpResponse<?> response) {
        return response.statusCode() == 409 && response.headers().firstValue("Retry-After").isPresent()
                && request.headers().firstValue("Idempotency-Key").isPresent();
    }

    /** GET and HEAD are safe to repeat; anything else only with an {@code Idempotency-Key}. */
    static boolean isRepeatable(HttpRequest request) {
        String m = request.method();
        return "GET".equals(m) || "HEAD".equals(m) || request.headers().firstValue("Idempotency-Key").isPresent();
    }

    private HttpRequest signed(HttpRequest request, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(request, (name, value) -> true);
        String rawPath = request.uri().getRawPath();
        String rawQuery = request.uri().getRawQuery();
        credentials.apply(b, request.method(), (rawPath == null || rawPath.isEmpty() ? "/" : rawPath)
                + (rawQuery == null ? "" : "?" + rawQuery), body);
        return b.build();
    }

    /** The body's bytes, read from its publisher (the generated client always sends a byte array). */
    static byte[] bodyBytes(HttpRequest request) {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty() || publisher.get().contentLength() == 0) {
            return new byte[0];
        }
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        publisher.get().subscribe(new Flow.Subscriber<ByteBuffer>() {
            private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable t) {
                bytes.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                bytes.complete(out.toByteArray());
            }
        });
        try {
            // A byte-array publisher completes within subscribe(); the bound only guards other publishers.
            return bytes.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not read the request body to sign it", e);
        }
    }

    private static void discard(HttpResponse<?> response) throws IOException {
        if (response.body() instanceof InputStream in) {
            in.close();
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isZero()) {
            Thread.sleep(d.toMillis()); // the retry's wait, on the caller's thread (a blocking client)
        }
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return delegate.newWebSocketBuilder();
    }
}
