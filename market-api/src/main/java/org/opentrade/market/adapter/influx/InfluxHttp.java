package org.opentrade.market.adapter.influx;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentrade.market.port.StoreUnavailableException;

/**
 * The two InfluxDB 1.x HTTP endpoints the store uses, which InfluxDB 2.x serves too (v1
 * compatibility, DBRP mapping): {@code POST /write} (line protocol, ns precision) and
 * {@code POST /query} (InfluxQL, JSON, epoch ns). Every failure, whether the server cannot be
 * reached, does not answer in time ({@link InfluxOptions#requestTimeout()}), answers an HTTP error or
 * reports an error for one statement, becomes a {@link StoreUnavailableException}
 * ({@link ServerError} when the server said why).
 *
 * <p>Thread-safe and blocking: each call waits for its exchange, at most the request timeout.
 */
final class InfluxHttp implements AutoCloseable {

    /** One series of a statement's answer: its tags (GROUP BY), columns and rows. */
    record Series(Map<String, String> tags, List<String> columns, List<List<Object>> rows) {
        int column(String name) {
            int i = columns.indexOf(name);
            if (i < 0) {
                throw new StoreUnavailableException("InfluxDB answer lacks column " + name + ": " + columns);
            }
            return i;
        }
    }

    /** The server answered and refused: HTTP error, or an error for one statement. */
    static final class ServerError extends StoreUnavailableException {
        private final int status;

        ServerError(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }

        /** The database is gone (dropped, or never created): creating it may fix the next call. */
        boolean databaseNotFound() {
            return getMessage() != null && getMessage().contains("database not found");
        }
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final InfluxOptions options;
    private final ExecutorService executor;
    private final HttpClient client;
    private final String authorization;
    private final String target;

    InfluxHttp(InfluxOptions options) {
        this.options = options;
        // Our own daemon threads, so close() ends them (JDK 17's HttpClient has no close()).
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "influx-http-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .executor(executor)
                .build();
        if (!options.token().isEmpty()) {
            authorization = "Token " + options.token();
        } else if (!options.username().isEmpty()) {
            authorization = "Basic " + Base64.getEncoder().encodeToString(
                    (options.username() + ":" + options.password()).getBytes(StandardCharsets.UTF_8));
        } else {
            authorization = null;
        }
        target = "db=" + encode(options.database())
                + (options.retentionPolicy().isEmpty() ? "" : "&rp=" + encode(options.retentionPolicy()));
    }

    /** Writes line-protocol lines (timestamps in ns) in one request. */
    void write(List<String> lines) {
        HttpRequest request = request("/write?" + target + "&precision=ns")
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() / 100 != 2) {
            throw new ServerError(response.statusCode(), "InfluxDB refused a write of " + lines.size() + " points: HTTP "
                    + response.statusCode() + " " + errorOf(response.body()));
        }
    }

    /**
     * Runs InfluxQL statements ({@code ;}-separated) in one request against the configured database;
     * returns each statement's series in order. {@code withDatabase} false omits {@code db} (for
     * {@code CREATE DATABASE}).
     */
    List<List<Series>> query(String statements, boolean withDatabase) {
        HttpRequest request = request("/query?" + (withDatabase ? target + "&" : "") + "epoch=ns")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + encode(statements)))
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() / 100 != 2) {
            throw new ServerError(response.statusCode(), "InfluxDB refused a query: HTTP " + response.statusCode() + " "
                    + errorOf(response.body()) + " [" + abbreviate(statements) + "]");
        }
        return parse(response.body(), statements);
    }

    private static List<List<Series>> parse(String body, String statements) {
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (DecodeException e) {
            throw new StoreUnavailableException("InfluxDB answered something that is not JSON: " + abbreviate(body), e);
        }
        if (json.getString("error") != null) {
            throw new ServerError(200, "InfluxDB: " + json.getString("error") + " [" + abbreviate(statements) + "]");
        }
        List<List<Series>> out = new ArrayList<>();
        for (Object r : json.getJsonArray("results", new JsonArray())) {
            JsonObject result = (JsonObject) r;
            // The server answers 200 and reports the failure of one statement here ("database not found").
            if (result.getString("error") != null) {
                throw new ServerError(200, "InfluxDB: " + result.getString("error") + " [" + abbreviate(statements) + "]");
            }
            if (result.getBoolean("partial", false)) {
                throw new StoreUnavailableException("InfluxDB truncated a result (its max-row-limit is below"
                        + " readPageSize?) [" + abbreviate(statements) + "]");
            }
            List<Series> series = new ArrayList<>();
            for (Object s : result.getJsonArray("series", new JsonArray())) {
                JsonObject one = (JsonObject) s;
                List<String> columns = new ArrayList<>();
                one.getJsonArray("columns", new JsonArray()).forEach(c -> columns.add((String) c));
                List<List<Object>> rows = new ArrayList<>();
                one.getJsonArray("values", new JsonArray()).forEach(v -> rows.add(((JsonArray) v).getList()));
                Map<String, String> tags = new java.util.HashMap<>();
                one.getJsonObject("tags", new JsonObject()).forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
                series.add(new Series(tags, columns, rows));
            }
            out.add(series);
        }
        return out;
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(options.url() + pathAndQuery))
                .timeout(options.requestTimeout());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    /**
     * Sends and waits: the JDK bounds the connect ({@code connectTimeout}) and the wait for the answer
     * ({@code requestTimeout}); the wait here bounds the whole exchange, body included, as a backstop.
     */
    private HttpResponse<String> send(HttpRequest request) {
        CompletableFuture<HttpResponse<String>> future =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        long backstop = options.connectTimeout().plus(options.requestTimeout()).toMillis();
        try {
            return future.get(backstop, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw notAnswered(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                throw new StoreUnavailableException("InfluxDB at " + options.url() + " did not accept a connection within "
                        + options.connectTimeout(), cause);
            }
            if (cause instanceof HttpTimeoutException) {
                throw notAnswered(cause);
            }
            throw new StoreUnavailableException("InfluxDB at " + options.url() + " is unreachable: " + cause, cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for InfluxDB at " + options.url(), e);
        }
    }

    private StoreUnavailableException notAnswered(Throwable cause) {
        return new StoreUnavailableException("InfluxDB at " + options.url() + " did not answer within "
                + options.requestTimeout(), cause);
    }

    private static String errorOf(String body) {
        try {
            String error = new JsonObject(body).getString("error");
            return error != null ? error : abbreviate(body);
        } catch (DecodeException | ClassCastException notJson) {
            return abbreviate(body);
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
