package org.opentrade.sdk;

import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Hands the generated {@code ApiClient} one ready {@link SigningHttpClient}: it calls
 * {@code build()} once per API class, and every API class must share the same client (one
 * connection pool, one signer). Settings are made on the client before; setters here are refused.
 */
final class FixedClientBuilder implements HttpClient.Builder {
    private final HttpClient client;

    FixedClientBuilder(HttpClient client) {
        this.client = client;
    }

    @Override
    public HttpClient build() {
        return client;
    }

    private static UnsupportedOperationException fixed() {
        return new UnsupportedOperationException("configure the HTTP client through OpenTrade.builder()");
    }

    @Override
    public HttpClient.Builder cookieHandler(CookieHandler h) {
        throw fixed();
    }

    @Override
    public HttpClient.Builder connectTimeout(Duration d) {
        throw fixed();
    }

    @Override
    public HttpClient.Builder sslContext(SSLContext c) {
        throw fixed();
    }

    @Override
    public HttpClient.Builder sslParameters(SSLParameters p) {
        throw fixed();
    }

    @Override
    public HttpClient.Builder executor(Executor e) {
        throw fixed();
    }

    @Override
    public HttpClient.Builder followRedirects(HttpClient.Redirect r) {
        throw fixed();
    }

    @Override
    public HttpClient.Builder version(HttpClient.Version v) {
        throw fixed();
    }

    @Override
    public HttpClient.Builder priority(int p) {
        throw fixed();
    }

    @Override
    public HttpClient.Builder proxy(ProxySelector p) {
        throw fixed();
    }

    @Override
    public HttpClient.Builder authenticator(Authenticator a) {
        throw fixed();
    }
}
