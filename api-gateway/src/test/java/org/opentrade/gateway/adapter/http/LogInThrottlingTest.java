package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.gateway.app.TestGateway;

/**
 * Password guessing is slowed per account, whatever the addresses it comes from, and per address with
 * IPv6 counted per /64 (one subscriber's usual allocation). The test client plays a trusted proxy so
 * that each request can come "from" any address.
 */
class LogInThrottlingTest {
    @TempDir
    Path dir;
    TestGateway gw;

    private void start(String limits) throws Exception {
        gw = TestGateway.start(dir, "gateway:\n  data_dir: " + dir.resolve("data") + "\n"
                + "  trusted_proxies: [\"127.0.0.0/8\"]\nlimits:\n" + limits);
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
    }

    private HttpResponse<String> logIn(String email, String password, String from) throws Exception {
        return gw.send(gw.request("/v1/sessions").POST(HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("email", email).put("password", password).encode()))
                .header("Content-Type", "application/json").header("X-Forwarded-For", from));
    }

    private static void assertThrottled(HttpResponse<String> r) {
        assertEquals(429, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(-3001, body.getInteger("error_no"));
        assertEquals(r.headers().firstValue("X-Trace-Id").orElseThrow(), body.getString("trace_id"));
        long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry >= 1 && retry <= 60 * 60, "Retry-After " + retry);
    }

    @Test
    void guessesAtOneAccountFromManyAddressesAreThrottledPerAccount() throws Exception {
        start("  per_address_per_minute: 1000\n  login_attempts_per_account: 3\n  login_account_window: 15m\n");
        gw.signUpAndLogIn("victim@example.com", "192.0.2.1"); // one attempt of the budget
        for (int i = 0; i < 2; i++) {
            assertEquals(401, logIn("victim@example.com", "guess number " + i, "198.51.100." + i).statusCode());
        }
        assertThrottled(logIn("VICTIM@example.com", "guess number 9", "198.51.100.9"));
        assertThrottled(logIn("victim@example.com", "correct horse battery", "203.0.113.1"));
        assertEquals(401, logIn("victim2@example.com", "a guess", "203.0.113.2").statusCode(),
                "another account keeps its own budget");
    }

    @Test
    void anUnknownEmailIsThrottledLikeAKnownOne() throws Exception {
        start("  per_address_per_minute: 1000\n  login_attempts_per_account: 3\n  login_account_window: 15m\n");
        for (int i = 0; i < 3; i++) {
            assertEquals(401, logIn("nobody@example.com", "guess number " + i, "198.51.100." + i).statusCode());
        }
        assertThrottled(logIn("nobody@example.com", "guess number 3", "198.51.100.3"));
    }

    @Test
    void signUpsFromManyAddressesShareTheServicesBudget() throws Exception {
        start("  per_address_per_minute: 1000\n  signups_per_hour: 3\n");
        for (int i = 0; i < 3; i++) {
            assertEquals(201, signUp("dev" + i + "@example.com", "198.51.100." + i).statusCode());
        }
        // A fresh address, within its own budget, meets the service's: no record is made for it.
        HttpResponse<String> refused = signUp("dev9@example.com", "2001:db8:9::1");
        assertThrottled(refused);
        assertTrue(new JsonObject(refused.body()).getString("error").contains("sign-ups"), refused.body());
        assertEquals(401, logIn("dev9@example.com", "password-of-dev", "203.0.113.9").statusCode(),
                "the refused sign-up made no developer");
        assertEquals(201, gw.send(gw.request("/v1/sessions").POST(HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("email", "dev0@example.com").put("password", "password-of-dev").encode()))
                .header("Content-Type", "application/json").header("X-Forwarded-For", "203.0.113.10")).statusCode(),
                "log-in is not charged to the sign-up budget");
    }

    @Test
    void oneAddressCannotSpendTheServicesSignUpsAndATakenEmailSpendsNothing() throws Exception {
        start("  per_address_per_minute: 1000\n  signups_per_hour: 4\n  signups_per_address_per_hour: 2\n");
        assertEquals(201, signUp("a1@example.com", "198.51.100.7").statusCode());
        assertEquals(201, signUp("a2@example.com", "198.51.100.7").statusCode());
        HttpResponse<String> third = signUp("a3@example.com", "198.51.100.7");
        assertThrottled(third);
        assertTrue(new JsonObject(third.body()).getString("error").contains("sign-ups an hour from one address"), third.body());
        // A taken email answers 409 before any budget: re-registering one in a loop spends none of the service's.
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> taken = signUp("a1@example.com", "203.0.113." + i);
            assertEquals(409, taken.statusCode(), taken.body());
        }
        assertEquals(201, signUp("b1@example.com", "203.0.113.50").statusCode(), "the service's budget is untouched");
        assertEquals(201, signUp("b2@example.com", "203.0.113.51").statusCode());
        assertThrottled(signUp("b3@example.com", "203.0.113.52"));
    }

    private HttpResponse<String> signUp(String email, String from) throws Exception {
        return gw.send(gw.request("/v1/developers").POST(HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("email", email).put("password", "password-of-dev").put("name", "Dev").encode()))
                .header("Content-Type", "application/json").header("X-Forwarded-For", from));
    }

    @Test
    void ipv6AddressesShareOneBudgetPerSlash64() throws Exception {
        start("  per_address_per_minute: 2\n");
        assertEquals(401, logIn("a@example.com", "wrong password", "2001:db8:1:2::1").statusCode());
        assertEquals(401, logIn("b@example.com", "wrong password", "2001:db8:1:2:ffff:ffff:ffff:fffe").statusCode());
        assertThrottled(logIn("c@example.com", "wrong password", "2001:db8:1:2::3"));
        assertEquals(401, logIn("d@example.com", "wrong password", "2001:db8:1:3::1").statusCode());
    }
}
