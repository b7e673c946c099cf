package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.app.TestGateway;

/**
 * A developer changes their password with the current one, logs out everywhere, or sets a new password
 * with a reset token an administrator issued; each ends every earlier session. Real gateway, embedded store.
 */
class PasswordChangeAndResetTest {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;
    TestGateway gw;

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    private void start(String yaml) throws Exception {
        gw = TestGateway.start(dir, yaml);
    }

    private HttpResponse<String> me(String token) throws Exception {
        return gw.get("/v1/developers/me", "Authorization", "Bearer " + token);
    }

    private HttpResponse<String> logIn(String email, String password) throws Exception {
        return gw.post("/v1/sessions", new JsonObject().put("email", email).put("password", password).encode());
    }

    private HttpResponse<String> change(String token, String current, String replacement) throws Exception {
        return gw.put("/v1/developers/me/password", new JsonObject().put("current_password", current)
                .put("new_password", replacement).encode(), "Authorization", "Bearer " + token);
    }

    private HttpResponse<String> issueReset(String developerId) throws Exception {
        return gw.post("/v1/admin/developers/" + developerId + "/password-reset", "",
                "X-Admin-Token", TestGateway.ADMIN_TOKEN);
    }

    private HttpResponse<String> reset(String resetToken, String replacement) throws Exception {
        return gw.post("/v1/developers/password-reset", new JsonObject().put("reset_token", resetToken)
                .put("new_password", replacement).encode());
    }

    private static void assertError(HttpResponse<String> r, int status, int errorNo) {
        assertEquals(status, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(errorNo, body.getInteger("error_no"), r.body());
        assertEquals(r.headers().firstValue("X-Trace-Id").orElseThrow(), body.getString("trace_id"));
    }

    private String developerId(String token) throws Exception {
        return new JsonObject(me(token).body()).getString("developer_id");
    }

    @Test
    void aPasswordChangeEndsEveryOtherSessionAndAnswersANewOne() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("ada@example.com");
        String otherDevice = new JsonObject(logIn("ada@example.com", PASSWORD).body()).getString("token");

        HttpResponse<String> changed = change(token, PASSWORD, "a brand new passphrase");

        assertEquals(200, changed.statusCode(), changed.body());
        JsonObject session = new JsonObject(changed.body());
        assertEquals("Bearer", session.getString("token_type"));
        assertEquals(200, me(session.getString("token")).statusCode(), "the answer is a working session");
        for (String ended : new String[] {token, otherDevice}) {
            HttpResponse<String> refused = me(ended);
            assertError(refused, 401, -2011);
            assertTrue(new JsonObject(refused.body()).getString("error").contains("password was changed"), refused.body());
        }
        assertError(logIn("ada@example.com", PASSWORD), 401, -2013);
        assertEquals(201, logIn("ada@example.com", "a brand new passphrase").statusCode());
    }

    @Test
    void aWrongCurrentPasswordChangesNothingAndKeepsTheSession() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("bob@example.com");

        assertError(change(token, "not my password", "a brand new passphrase"), 403, -2022);
        assertError(change(token, PASSWORD, PASSWORD), 400, -1002);
        assertError(change(token, PASSWORD, "short"), 400, -1002);
        assertError(gw.put("/v1/developers/me/password", new JsonObject().put("current_password", PASSWORD)
                .put("new_password", "a brand new passphrase").put("email", "x@example.com").encode(),
                "Authorization", "Bearer " + token), 400, -1002);
        assertError(gw.put("/v1/developers/me/password", new JsonObject().put("current_password", PASSWORD)
                .put("new_password", "a brand new passphrase").encode()), 401, -2001);

        assertEquals(200, me(token).statusCode(), "a refused change leaves the session alone");
        assertEquals(201, logIn("bob@example.com", PASSWORD).statusCode());
    }

    @Test
    void guessingTheCurrentPasswordSpendsTheAccountsLogInBudget() throws Exception {
        start("limits:\n  login_attempts_per_account: 3\n  login_account_window: 15m\n");
        String token = gw.signUpAndLogIn("carol@example.com"); // one attempt of the budget
        assertError(change(token, "guess one", "a brand new passphrase"), 403, -2022);
        assertError(change(token, "guess two", "a brand new passphrase"), 403, -2022);

        HttpResponse<String> throttled = change(token, PASSWORD, "a brand new passphrase");

        assertError(throttled, 429, -3001);
        assertTrue(throttled.headers().firstValue("Retry-After").isPresent());
        assertError(logIn("carol@example.com", PASSWORD), 429, -3001);
    }

    @Test
    void loggingOutEverywhereEndsEverySessionUntilTheNextLogIn() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("dan@example.com");
        String otherDevice = new JsonObject(logIn("dan@example.com", PASSWORD).body()).getString("token");

        HttpResponse<String> ended = gw.send(gw.request("/v1/sessions").header("Authorization", "Bearer " + token).DELETE());

        assertEquals(200, ended.statusCode(), ended.body());
        assertTrue(new JsonObject(ended.body()).getBoolean("sessions_ended"));
        assertError(me(token), 401, -2011);
        assertError(me(otherDevice), 401, -2011);
        String fresh = new JsonObject(logIn("dan@example.com", PASSWORD).body()).getString("token");
        assertEquals(200, me(fresh).statusCode());
        assertError(gw.send(gw.request("/v1/sessions").DELETE()), 401, -2001);
    }

    /**
     * Calls racing on one session all pass authentication before the first of them lands: the generation moves on
     * once (the others find their session already ended), so each write needs a session of its own, and each
     * session a log-in (the account's log-in budget).
     */
    @Test
    void logOutsEverywhereRacingOnOneSessionEndItOnce() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("hal@example.com");
        String id = developerId(token);
        int before = generation(id);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(callers.submit(() -> {
                    go.await();
                    return gw.send(gw.request("/v1/sessions").header("Authorization", "Bearer " + token).DELETE());
                }));
            }
            go.countDown();
            for (Future<HttpResponse<String>> call : calls) {
                HttpResponse<String> r = call.get(30, TimeUnit.SECONDS);
                if (r.statusCode() != 200) {
                    assertError(r, 401, -2011); // ended by the call that landed first
                }
            }
        } finally {
            callers.shutdownNow();
        }

        assertEquals(before + 1, generation(id));
        assertError(me(token), 401, -2011);
    }

    /**
     * A thief holding one of the developer's sessions spends the key-change budget (each call is charged, whatever
     * it answers): the owner's log-out, and the log-out everywhere that ends the thief's session, still go through.
     */
    @Test
    void aThiefSpendingTheKeyChangeBudgetCannotKeepTheOwnerFromLoggingOut() throws Exception {
        start("limits:\n  key_changes_per_minute: 2\n");
        String owner = gw.signUpAndLogIn("ida@example.com");
        String laptop = new JsonObject(logIn("ida@example.com", PASSWORD).body()).getString("token");
        String thief = new JsonObject(logIn("ida@example.com", PASSWORD).body()).getString("token");
        for (int i = 0; i < 2; i++) {
            gw.send(gw.request("/v1/keys/key_nothing").header("Authorization", "Bearer " + thief).DELETE());
        }
        assertError(gw.send(gw.request("/v1/keys/key_nothing").header("Authorization", "Bearer " + thief).DELETE()),
                429, -3001);

        HttpResponse<String> out = gw.send(gw.request("/v1/sessions/current").header("Authorization", "Bearer " + laptop)
                .DELETE());
        assertEquals(200, out.statusCode(), out.body());
        assertError(me(laptop), 401, -2011);
        HttpResponse<String> everywhere = gw.send(gw.request("/v1/sessions").header("Authorization", "Bearer " + owner)
                .DELETE());
        assertEquals(200, everywhere.statusCode(), everywhere.body());
        assertError(me(thief), 401, -2011);
    }

    /** Answers that carry a session token or a secret say no cache may keep them (RFC 6749 §5.1). */
    @Test
    void answersCarryingCredentialsAreNeverStored() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("joy@example.com");
        HttpResponse<String> logIn = logIn("joy@example.com", PASSWORD);
        assertEquals(201, logIn.statusCode(), logIn.body());
        assertEquals("no-store", logIn.headers().firstValue("Cache-Control").orElse(""));
        HttpResponse<String> key = gw.send(gw.request("/v1/keys").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(201, key.statusCode(), key.body());
        assertTrue(new JsonObject(key.body()).containsKey("secret"));
        assertEquals("no-store", key.headers().firstValue("Cache-Control").orElse(""));
        HttpResponse<String> refreshed = gw.send(gw.request("/v1/sessions/refresh").header("Authorization", "Bearer " + token)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertEquals("no-store", refreshed.headers().firstValue("Cache-Control").orElse(""), refreshed.body());
    }

    private int generation(String developerId) throws Exception {
        return gw.gateway.stores().registry().developer(developerId).toCompletableFuture().get(10, TimeUnit.SECONDS)
                .orElseThrow().sessionGeneration();
    }

    private static JsonObject payload(String jwt) {
        return new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    private HttpResponse<String> refresh(String token) throws Exception {
        return gw.post("/v1/sessions/refresh", "", "Authorization", "Bearer " + token);
    }

    @Test
    void aRefreshExtendsTheSessionKeepingItsLogInTimeAndEndsWithIt() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("ivy@example.com");
        Thread.sleep(1_100); // not an event to await: time itself must pass, as JWT times are whole seconds

        HttpResponse<String> refreshed = refresh(token);

        assertEquals(200, refreshed.statusCode(), refreshed.body());
        JsonObject session = new JsonObject(refreshed.body());
        assertEquals(900, session.getInteger("expires_in"));
        String renewed = session.getString("token");
        assertEquals(200, me(renewed).statusCode());
        JsonObject before = payload(token);
        JsonObject after = payload(renewed);
        assertTrue(after.getLong("exp") > before.getLong("exp"), after + " after " + before);
        assertEquals(before.getLong("auth_time"), after.getLong("auth_time"), "the log-in time is kept");
        assertEquals(before.getInteger("gen"), after.getInteger("gen"));

        String changed = new JsonObject(change(renewed, PASSWORD, "a brand new passphrase").body()).getString("token");
        assertError(refresh(renewed), 401, -2011);
        assertError(refresh(token), 401, -2011);
        assertEquals(200, refresh(changed).statusCode());
        assertError(refresh(new JsonObject(issueReset(developerId(changed)).body()).getString("reset_token")), 401, -2012);
        assertError(gw.post("/v1/sessions/refresh", ""), 401, -2001);
    }

    /** A log-out ends this session, the token sent and its refreshes, and no other session of the developer. */
    @Test
    void aLogOutEndsThisSessionAndItsRefreshesButNoOther() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("kim@example.com");
        String refreshed = new JsonObject(refresh(token).body()).getString("token");
        String otherDevice = new JsonObject(logIn("kim@example.com", PASSWORD).body()).getString("token");

        HttpResponse<String> out = gw.send(gw.request("/v1/sessions/current").header("Authorization", "Bearer " + token)
                .DELETE());

        assertEquals(200, out.statusCode(), out.body());
        for (String ended : new String[] {token, refreshed}) {
            HttpResponse<String> refused = me(ended);
            assertError(refused, 401, -2011);
            assertTrue(new JsonObject(refused.body()).getString("error").contains("logged out"), refused.body());
            assertError(refresh(ended), 401, -2011);
        }
        assertEquals(200, me(otherDevice).statusCode(), "another session stays");
        assertEquals(200, me(new JsonObject(logIn("kim@example.com", PASSWORD).body()).getString("token")).statusCode());
    }

    @Test
    void aRefreshNeverOutlivesTheSessionsMaximumAgeFromItsLogIn() throws Exception {
        // A later "auth:" replaces the test gateway's section: its cheap hashing and admin token are repeated.
        start("auth:\n  password_memory_kib: 1024\n  password_iterations: 1\n  admin_token: " + TestGateway.ADMIN_TOKEN
                + "\n  session_ttl: 60s\n  session_max_age: 60s\n");
        String token = gw.signUpAndLogIn("joy@example.com");
        Thread.sleep(1_100); // not an event to await: a second must pass for a refresh to differ (JWT times are whole seconds)

        HttpResponse<String> refreshed = refresh(token);

        assertEquals(200, refreshed.statusCode(), refreshed.body());
        JsonObject session = new JsonObject(refreshed.body());
        assertTrue(session.getInteger("expires_in") < 60, refreshed.body());
        JsonObject before = payload(token);
        JsonObject after = payload(session.getString("token"));
        assertEquals(before.getLong("exp"), after.getLong("exp"), "capped at log-in + session_max_age");
        assertEquals(before.getLong("auth_time") + 60, after.getLong("exp"));
    }

    @Test
    void anAdministratorsResetTokenSetsANewPasswordOnceAndEndsEverySession() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("eve@example.com");
        String id = developerId(token);

        HttpResponse<String> issued = issueReset(id);
        assertEquals(200, issued.statusCode(), issued.body());
        JsonObject grant = new JsonObject(issued.body());
        assertEquals(3600, grant.getInteger("expires_in"));
        String resetToken = grant.getString("reset_token");
        assertEquals(200, me(token).statusCode(), "issuing a reset token changes nothing yet");
        assertError(me(resetToken), 401, -2012); // a reset token is not a session

        HttpResponse<String> done = reset(resetToken, "chosen after a reset");

        assertEquals(200, done.statusCode(), done.body());
        assertEquals(id, new JsonObject(done.body()).getString("developer_id"));
        assertError(me(token), 401, -2011);
        assertError(logIn("eve@example.com", PASSWORD), 401, -2013);
        assertEquals(201, logIn("eve@example.com", "chosen after a reset").statusCode());
        assertError(reset(resetToken, "and once more please"), 400, -2023); // spent by its use
        assertEquals(201, logIn("eve@example.com", "chosen after a reset").statusCode());
    }

    @Test
    void aResetTokenEndsWithAPasswordChangeAndNothingElseIsOne() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("fay@example.com");
        String resetToken = new JsonObject(issueReset(developerId(token)).body()).getString("reset_token");
        String newSession = new JsonObject(change(token, PASSWORD, "changed by the owner").body()).getString("token");

        assertError(reset(resetToken, "an attacker's choice"), 400, -2023);
        assertError(reset(newSession, "an attacker's choice"), 400, -2023); // a session is not a reset token
        assertError(reset("not.a.token", "an attacker's choice"), 400, -2023);
        assertError(reset(resetToken + "x", "an attacker's choice"), 400, -2023);
        assertEquals(201, logIn("fay@example.com", "changed by the owner").statusCode());
    }

    @Test
    void onlyAnAdministratorIssuesResetTokensForDevelopersThatExist() throws Exception {
        start("");
        String token = gw.signUpAndLogIn("gus@example.com");
        String id = developerId(token);

        assertError(gw.post("/v1/admin/developers/" + id + "/password-reset", "", "Authorization", "Bearer " + token),
                401, -2017);
        assertError(issueReset("dev_nobody"), 404, -1004);
    }
}
