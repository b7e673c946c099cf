package org.opentrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** HTTP calls of the distributed ITs to the topology's gateways, and a developer with a key made through them. */
final class DistributedHttp {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private DistributedHttp() {
    }

    static HttpRequest request(String method, String url, Map<String, String> headers, JsonObject body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return b.build();
    }

    static HttpResponse<String> send(String method, String url, Map<String, String> headers, JsonObject body,
                                     Duration timeout) throws IOException, InterruptedException {
        return HTTP.send(request(method, url, headers, body, timeout), HttpResponse.BodyHandlers.ofString());
    }

    /** With a 15 s timeout. */
    static HttpResponse<String> send(String method, String url, Map<String, String> headers, JsonObject body)
            throws IOException, InterruptedException {
        return send(method, url, headers, body, Duration.ofSeconds(15));
    }

    /** True when {@code baseUrl}'s {@code /ready} answers 200 within 2 s. */
    static boolean ready(String baseUrl) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Signs a new developer up through {@code gateway}, logs in and makes a key with {@code scopes}:
     * {@code token} (the session's), {@code key_id} and {@code secret}.
     */
    static JsonObject developerWithKey(String gateway, String name, List<String> scopes) throws Exception {
        String email = name + "-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> signUp = send("POST", gateway + "/v1/developers", Map.of(),
                new JsonObject().put("email", email).put("password", "long enough pw").put("name", name));
        assertEquals(201, signUp.statusCode(), signUp.body());
        HttpResponse<String> session = send("POST", gateway + "/v1/sessions", Map.of(),
                new JsonObject().put("email", email).put("password", "long enough pw"));
        assertEquals(201, session.statusCode(), session.body());
        String token = new JsonObject(session.body()).getString("token");
        HttpResponse<String> key = send("POST", gateway + "/v1/keys", Map.of("Authorization", "Bearer " + token),
                new JsonObject().put("label", name).put("scopes", new JsonArray(scopes)));
        assertEquals(201, key.statusCode(), key.body());
        JsonObject k = new JsonObject(key.body());
        return new JsonObject().put("token", token).put("key_id", k.getString("key_id")).put("secret", k.getString("secret"));
    }
}
