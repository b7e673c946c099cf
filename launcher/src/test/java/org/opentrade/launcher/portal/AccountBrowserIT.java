package org.opentrade.launcher.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.opentrade.launcher.contract.AllInOneFixture;
import org.opentrade.launcher.contract.SharedAllInOne;

/**
 * The account pages in a real browser: sign-up and log-in through the forms (with {@code ?next=}
 * kept on this origin), a key created with scopes and an address range, its secret shown once and
 * then gone from the page and the browser's storage, the key used over HTTP, its usage charted with
 * the live budget, rotation with a grace period, revocation; key labels shown as text; 简体中文 and
 * a phone-size run.
 */
@ExtendWith(SharedAllInOne.class)
class AccountBrowserIT {
    private static final String PASSWORD = "a long enough password";
    private static final String XSS_LABEL = "<img src=x onerror=alert(1)>";
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * A session that ends while a page that needs it is open (expired in this browser: the usage page's 5 s poll
     * finds it; refused by the gateway as not valid: the keys page's load) sends the visitor to log in and back,
     * instead of a page that keeps polling with "no credentials" or shows "Loading…" for ever. A refused log-in
     * shows how long to wait and no trace link (the trace of a request without credentials is nobody's).
     */
    @Test
    void anEndedSessionSendsThePageToLogInAndBack(AllInOneFixture aio) throws Exception {
        JsonObject login = aio.newSession();
        try (PortalBrowser b = PortalBrowser.open(aio.baseUri().toString())) {
            b.logInAs(login);
            b.go("/usage.html");
            b.visible(By.id("budget-text"));
            b.driver().executeScript("const s = JSON.parse(sessionStorage.getItem('opentrade.session'));"
                    + " s.expiresAt = Date.now() - 1; sessionStorage.setItem('opentrade.session', JSON.stringify(s));");
            b.until(d -> d.getCurrentUrl().endsWith("/account.html?next=%2Fusage.html"));
            b.textIn(By.id("account-status"), "Log in to continue.");

            b.logInAs(new JsonObject(login.encode()).put("token", login.getString("token") + "x"));
            b.go("/keys.html");
            b.until(d -> d.getCurrentUrl().endsWith("/account.html?next=%2Fkeys.html"));
            assertEquals(null, b.driver().executeScript("return sessionStorage.getItem('opentrade.session')"),
                    "the refused session is cleared");

            // A wrong password: the error, without a trace link (the request carried no credential: nobody's trace).
            logIn(b, login.getString("email"), "not the password");
            b.textIn(By.id("login-status"), "[-2013]");
            assertTrue(b.driver().findElements(By.cssSelector("#login-status a")).isEmpty(),
                    "no trace link: " + b.visible(By.id("login-status")).getText());
            // A refusal with Retry-After (here the log-in budget's 429, answered by a stand-in for fetch, so this
            // test does not spend the address's log-in budget the other browser tests share): the wait is shown.
            b.driver().executeScript("window.fetch = async () => new Response(JSON.stringify({error: 'too many log-in"
                    + " attempts for this account', error_no: -3001, trace_id: '4bf92f3577b34da6a3ce929d0e0e4736'}),"
                    + " {status: 429, headers: {'Retry-After': '16', 'X-Trace-Id': '4bf92f3577b34da6a3ce929d0e0e4736'}});");
            logIn(b, login.getString("email"), "another guess");
            b.textIn(By.id("login-status"), "[-3001]");
            String refused = b.visible(By.id("login-status")).getText();
            assertTrue(refused.contains("(try again in 16 s)"), refused);
            assertTrue(b.driver().findElements(By.cssSelector("#login-status a")).isEmpty(), "no trace link: " + refused);
        }
    }

    /**
     * The password in the browser: a wrong current password is refused and the session stays; a change keeps
     * this page logged in on its new session while another session ends; log-out everywhere ends this one too;
     * an administrator's reset token sets a new password through the logged-out page's form, once.
     */
    @Test
    void aDeveloperChangesThePasswordLogsOutEverywhereAndResetsItWithAnAdministratorsToken(AllInOneFixture aio)
            throws Exception {
        JsonObject login = aio.newSession(); // password "long enough pw"
        String email = login.getString("email");
        String elsewhere = http.send(HttpRequest.newBuilder(aio.baseUri().resolve("/v1/sessions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("email", email).put("password", "long enough pw").encode())).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String otherToken = new JsonObject(elsewhere).getString("token");
        try (PortalBrowser b = PortalBrowser.open(aio.baseUri().toString())) {
            b.logInAs(login);
            b.go("/account.html");
            b.textIn(By.id("me-email"), email);

            changePassword(b, "not the password", "chosen in the browser");
            b.textIn(By.id("password-status"), "[-2022]");
            b.visible(By.id("me"));
            changePassword(b, "long enough pw", "chosen in the browser");
            b.textIn(By.id("password-status"), "Password changed.");
            assertEquals(401, me(aio.baseUri(), otherToken).statusCode(), "the other session ended");
            String renewed = (String) b.driver().executeScript(
                    "return JSON.parse(sessionStorage.getItem('opentrade.session')).token");
            assertNotEquals(login.getString("token"), renewed);
            assertEquals(200, me(aio.baseUri(), renewed).statusCode(), "the page goes on with the new session");

            b.visible(By.id("me-logout-everywhere")).click();
            b.textIn(By.id("account-status"), "Every session of yours has ended");
            b.visible(By.id("forms"));
            assertEquals(401, me(aio.baseUri(), renewed).statusCode(), "this page's session ended too");

            HttpResponse<String> grant = http.send(HttpRequest.newBuilder(aio.baseUri().resolve("/v1/admin/developers/"
                            + login.getString("developer_id") + "/password-reset")).header("X-Admin-Token", aio.adminToken())
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, grant.statusCode(), grant.body());
            String resetToken = new JsonObject(grant.body()).getString("reset_token");
            for (int attempt = 0; attempt < 2; attempt++) {
                b.visible(By.id("reset-token")).sendKeys(resetToken);
                b.visible(By.id("reset-password")).sendKeys("set by a reset token");
                b.visible(By.id("reset-submit")).click();
                b.textIn(By.id("reset-status"), attempt == 0 ? "Password set for " + email : "[-2023]");
                b.driver().findElement(By.id("reset-form")).findElements(By.tagName("input")).forEach(WebElement::clear);
            }
            logIn(b, email, "set by a reset token");
            b.textIn(By.id("me-email"), email);
            assertEquals(List.of(), b.consoleErrors().stream().filter(e -> !e.contains(" 40")).toList(),
                    "no console errors but the refusals' own");
        }
    }

    /**
     * An open page refreshes its session when a third of the token's life is left, so a working visitor stays in; its
     * "Log out" ends the session at the gateway, refreshes included, not only in this browser.
     */
    @Test
    void anOpenPageRefreshesItsSessionBeforeItExpires(AllInOneFixture aio) throws Exception {
        JsonObject login = aio.newSession();
        try (PortalBrowser b = PortalBrowser.open(aio.baseUri().toString())) {
            b.logInAs(login);
            // As if the token were 9 of its 15 minutes old... compressed: 3 s left of a 6 s life, so due in 1 s.
            b.driver().executeScript("const s = JSON.parse(sessionStorage.getItem('opentrade.session'));"
                    + " s.expiresAt = Date.now() + 3000; s.lifetime = 6000;"
                    + " sessionStorage.setItem('opentrade.session', JSON.stringify(s));");
            b.go("/keys.html");
            b.until(d -> !login.getString("token").equals(d.executeScript(
                    "return JSON.parse(sessionStorage.getItem('opentrade.session')).token")));
            Number left = (Number) b.driver().executeScript(
                    "return JSON.parse(sessionStorage.getItem('opentrade.session')).expiresAt - Date.now()");
            assertTrue(left.longValue() > 800_000, "a fresh 15-minute token: " + left + " ms left");
            String renewed = (String) b.driver().executeScript(
                    "return JSON.parse(sessionStorage.getItem('opentrade.session')).token");
            assertEquals(200, me(aio.baseUri(), renewed).statusCode());
            assertTrue(b.driver().getCurrentUrl().endsWith("/keys.html"), "still on the page: " + b.driver().getCurrentUrl());

            // Log out (the header's button): the gateway ends the session, the token first logged in with included.
            b.visible(By.id("logout")).click();
            b.until(d -> d.getCurrentUrl().endsWith("/account.html"));
            assertEquals(401, me(aio.baseUri(), renewed).statusCode(), "the refreshed token is logged out");
            assertEquals(401, me(aio.baseUri(), login.getString("token")).statusCode(), "so is the one logged in with");
            assertEquals(List.of(), b.consoleErrors(), "no console errors");
        }
    }

    private static void changePassword(PortalBrowser b, String current, String replacement) {
        WebElement c = b.visible(By.id("password-current"));
        c.clear();
        c.sendKeys(current);
        WebElement n = b.visible(By.id("password-new"));
        n.clear();
        n.sendKeys(replacement);
        b.visible(By.id("password-submit")).click();
    }

    private HttpResponse<String> me(URI base, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/v1/developers/me")).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void developerSignsUpLogsInAndManagesAKeyWhoseSecretIsShownOnce(AllInOneFixture aio) throws Exception {
        URI base = aio.baseUri();
        String email = "browser-" + System.nanoTime() + "@example.com";
        try (PortalBrowser b = PortalBrowser.open(base.toString())) {
            // A ?next= to another origin is ignored: the visitor stays on the portal.
            b.go("/account.html?next=%2F%2Fevil.example%2Fsteal");
            b.visible(By.id("signup-name")).sendKeys("Ada Browser");
            b.driver().findElement(By.id("signup-email")).sendKeys(email);
            b.driver().findElement(By.id("signup-password")).sendKeys(PASSWORD);
            b.driver().findElement(By.id("signup-submit")).click();
            b.textIn(By.id("signup-status"), "Account created for " + email);
            assertEquals(email, b.driver().findElement(By.id("login-email")).getAttribute("value"), "log-in is prefilled");
            b.screenshot("account");
            logIn(b, null);
            b.textIn(By.id("me-email"), email);
            b.textIn(By.id("me-details"), "free");
            assertFalse(b.driver().findElement(By.id("forms")).isDisplayed(), "no log-in form while logged in");
            assertEquals(base + "/account.html?next=%2F%2Fevil.example%2Fsteal", b.driver().getCurrentUrl(), "no open redirect");
            assertEquals("/keys.html|null|null|null|null|null|null|null|null|/usage.html?x=1#y|/a/b.html",
                    b.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "import('/assets/account.js').then((m) => done(['/keys.html', '//evil.example', '/\\\\evil.example',"
                    + " 'https://evil.example/', '/\\t/evil.example', 'javascript:alert(1)', '/.//evil.example/login',"
                    + " '/..//evil.example', '/a/..//evil.example', '/usage.html?x=1#y', '/a/./b.html']"
                    + ".map((n) => String(m.safeNext(n))).join('|')));"));
            b.screenshot("account-logged-in");

            // Logged out, a page that needs a session sends the visitor to log in and back.
            b.driver().findElement(By.id("me-logout")).click();
            b.visible(By.id("login-email"));
            assertFalse(b.driver().findElement(By.id("me")).isDisplayed());
            assertTrue(b.driver().findElements(By.id("logout")).isEmpty(), "the shell shows the visitor logged out");
            b.go("/keys.html");
            b.until(d -> d.getCurrentUrl().endsWith("/account.html?next=%2Fkeys.html"));
            b.visible(By.id("login-email")).sendKeys(email);
            logIn(b, "/keys.html");
            b.visible(By.id("no-keys"));

            // Create a key: market:read (checked by default) + trade, one address range.
            b.driver().findElement(By.id("key-label")).sendKeys("research box");
            b.driver().findElement(By.id("scope-trade")).click();
            b.driver().findElement(By.id("key-cidrs")).sendKeys("127.0.0.0/8");
            b.driver().findElement(By.id("create-submit")).click();
            String secret = b.visible(By.id("secret-value")).getText();
            String keyId = b.driver().findElement(By.id("secret-key-id")).getText();
            assertTrue(secret.startsWith("ots_") && keyId.startsWith("otk_"), keyId + " / " + secret);
            b.textIn(By.id("secret-warning"), "you will not see it again");
            b.screenshot("key-secret");
            b.driver().findElement(By.id("secret-copy")).click();
            String copied = b.visible(By.id("secret-copy-status")).getText();
            if (copied.startsWith("The clipboard is not available")) {
                assertEquals(secret, b.driver().executeScript("return window.getSelection().toString()"), "the secret is selected");
            } else {
                assertEquals("Copied to the clipboard.", copied);
            }
            b.driver().findElement(By.id("secret-dismiss")).click();
            b.until(d -> !(Boolean) d.executeScript("return document.getElementById('secret-dialog').open"));
            assertSecretGone(b, secret);
            WebElement row = b.visible(By.cssSelector("tr[data-key-id='" + keyId + "']"));
            assertEquals("research box", row.findElement(By.cssSelector(".key-label")).getText());
            String scopes = row.findElement(By.cssSelector(".col-scopes")).getText();
            assertTrue(scopes.contains("market:read") && scopes.contains("trade") && !scopes.contains("fix"), scopes);
            assertTrue(row.findElement(By.cssSelector(".col-cidrs")).getText().contains("127.0.0.0/8"));
            assertEquals("active", row.findElement(By.cssSelector(".key-status")).getText());
            b.screenshot("keys");

            // The key works from this machine (127.0.0.1 is in its range).
            for (int i = 0; i < 3; i++) {
                assertEquals(200, awaitQuote(base, keyId, secret).statusCode());
            }
            assertEquals(200, get(base, "/v1/limits", keyId, secret).statusCode());

            // Usage: the key's calls charted, the live budget shown.
            b.go("/usage.html");
            b.textIn(By.id("budget-text"), "weight left");
            b.textIn(By.id("totals-keys"), "research box (" + keyId + ")");
            By keyCalls = By.cssSelector("#totals-keys tr[data-row='" + keyId + "'] .calls");
            b.until(d -> "4".equals(b.visible(keyCalls).getText())); // three quotes and one limits call
            assertTrue(Integer.parseInt(b.visible(By.id("chart-keys")).getAttribute("data-calls")) >= 4);
            long drawn = (Long) b.driver().executeScript(
                    "const c = document.getElementById('chart-keys'); const px = c.getContext('2d')"
                    + ".getImageData(0, 0, c.width, c.height).data; let n = 0;"
                    + "for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++; return n;");
            assertTrue(drawn > 1000, "the chart is drawn: " + drawn + " painted pixels");
            assertTrue(b.driver().findElement(By.id("totals-routes")).getText().contains("GET /v1/market/quotes"));
            String remaining = b.driver().findElement(By.id("budget-text")).getText();
            assertTrue(remaining.matches("[\\d,]+ of [\\d,]+ weight left"), remaining);
            b.driver().executeScript("document.getElementById('charts-title').scrollIntoView()");
            b.screenshot("usage");

            // An administrator raises the developer's plan: the key's plan is now a choice, and the key follows it.
            String admin = aio.adminToken();
            JsonObject developers = new JsonObject(http.send(HttpRequest.newBuilder(base.resolve("/v1/admin/developers"))
                    .header("X-Admin-Token", admin).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            String developerId = developers.getJsonArray("developers").stream().map(JsonObject.class::cast)
                    .filter(d -> email.equals(d.getString("email"))).findFirst().orElseThrow().getString("developer_id");
            HttpResponse<String> raised = http.send(HttpRequest.newBuilder(base.resolve("/v1/admin/developers/" + developerId
                    + "/plan")).header("X-Admin-Token", admin).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"plan\":\"pro\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, raised.statusCode(), raised.body());
            b.go("/keys.html");
            new Select(b.visible(By.cssSelector("tr[data-key-id='" + keyId + "'] select.key-plan"))).selectByValue("pro");
            b.textIn(By.id("keys-status"), "Key " + keyId + " is now on the pro plan.");
            assertEquals("pro", new JsonObject(get(base, "/v1/limits", keyId, secret).body()).getString("plan"));

            // Rotate with a grace period: a new secret, once; the old one keeps working until then.
            b.go("/keys.html");
            b.visible(By.cssSelector("tr[data-key-id='" + keyId + "'] button.rotate")).click();
            WebElement grace = b.visible(By.id("grace-" + keyId));
            grace.clear();
            grace.sendKeys("120");
            b.driver().findElement(By.cssSelector("[data-rotate-for='" + keyId + "'] button.rotate-now")).click();
            String rotated = b.visible(By.id("secret-value")).getText();
            assertNotEquals(secret, rotated);
            b.textIn(By.id("secret-previous"), "The previous secret keeps working until");
            // Escape closes it too; the secret leaves with the dialog's close event, a task after the key press.
            b.driver().findElement(By.id("secret-value")).sendKeys(Keys.ESCAPE);
            b.until(d -> !(Boolean) d.executeScript("return document.getElementById('secret-dialog').open")
                    && !d.getPageSource().contains(rotated));
            assertSecretGone(b, rotated);
            b.textIn(By.cssSelector("tr[data-key-id='" + keyId + "'] .col-status"), "previous secret valid until");
            assertEquals(200, get(base, "/v1/limits", keyId, secret).statusCode(), "the old secret, within its grace");
            assertEquals(200, get(base, "/v1/limits", keyId, rotated).statusCode(), "the new secret");

            // Revoke takes a confirming second click; then neither secret works.
            b.driver().findElement(By.cssSelector("tr[data-key-id='" + keyId + "'] button.revoke")).click();
            assertEquals(200, get(base, "/v1/limits", keyId, rotated).statusCode(), "one click revokes nothing");
            b.visible(By.cssSelector("tr[data-key-id='" + keyId + "'] button.confirm-revoke")).click();
            b.textIn(By.cssSelector("tr[data-key-id='" + keyId + "'] .key-status"), "revoked");
            b.textIn(By.cssSelector("tr[data-key-id='" + keyId + "'] .revoked-at"), "since ");
            b.textIn(By.id("keys-status"), "Key " + keyId + " is revoked.");
            assertTrue(b.driver().findElements(By.cssSelector("tr[data-key-id='" + keyId + "'] button")).isEmpty());
            HttpResponse<String> refused = get(base, "/v1/limits", keyId, rotated);
            assertEquals(401, refused.statusCode());
            assertEquals(-2004, new JsonObject(refused.body()).getInteger("error_no"));
            assertEquals(List.of(), b.consoleErrors(), "no console errors");
        }
    }

    @Test
    void keyLabelsAreTextAndThePagesSwitchToChineseOnAPhone(AllInOneFixture aio) throws Exception {
        String email = "browser-zh-" + System.nanoTime() + "@example.com";
        post(aio.baseUri(), "/v1/developers", new JsonObject().put("email", email).put("password", PASSWORD).put("name", "Zh"));
        try (PortalBrowser b = PortalBrowser.open(aio.baseUri().toString())) {
            b.go("/keys.html");
            b.visible(By.id("login-email")).sendKeys(email);
            b.driver().findElement(By.id("login-password")).sendKeys("not the password");
            b.driver().findElement(By.id("login-submit")).click();
            b.textIn(By.id("login-status"), "[-2013]");
            assertTrue(b.driver().findElement(By.id("login-status")).getAttribute("class").contains("error"));
            List<String> refusedLogIn = b.consoleErrors();
            assertTrue(refusedLogIn.size() == 1 && refusedLogIn.get(0).contains("/v1/sessions") && refusedLogIn.get(0).contains("401"),
                    "the browser reports only the refused log-in itself: " + refusedLogIn);
            b.driver().findElement(By.id("login-password")).clear();
            logIn(b, "/keys.html");
            b.visible(By.id("key-label")).sendKeys(XSS_LABEL);
            b.driver().findElement(By.id("create-submit")).click();
            b.visible(By.id("secret-dismiss")).click();
            WebElement label = b.visible(By.cssSelector("#keys-table .key-label"));
            assertEquals(XSS_LABEL, label.getText(), "the label is shown as text");
            assertTrue(b.driver().findElements(By.cssSelector("main img")).isEmpty(), "no element made from the label");

            new Select(b.visible(By.id("lang"))).selectByValue("zh");
            b.textIn(By.tagName("h1"), "API 密钥");
            b.textIn(By.cssSelector("#keys-table thead"), "权限范围");
            b.textIn(By.cssSelector("#keys-table .key-status"), "有效");
            assertEquals("创建密钥", b.driver().findElement(By.id("create-submit")).getText());
            b.phone(true);
            b.driver().navigate().refresh();
            b.textIn(By.cssSelector("#keys-table .key-status"), "有效");
            b.screenshot("keys-zh-phone");
            assertNoSidewaysScroll(b);

            b.go("/usage.html");
            b.textIn(By.id("budget-text"), "剩余");
            b.textIn(By.id("totals-keys"), "门户会话");
            b.screenshot("usage-zh-phone");
            assertNoSidewaysScroll(b);
            new Select(b.visible(By.id("lang"))).selectByValue("en");
            b.textIn(By.id("budget-text"), "weight left");
            b.textIn(By.id("totals-keys"), "portal session");

            b.go("/account.html");
            b.textIn(By.id("me-email"), email);
            b.screenshot("account-phone");
            assertNoSidewaysScroll(b);
            assertEquals(List.of(), b.consoleErrors(), "no console errors");
        }
    }

    /** Submits the log-in form (email already typed or prefilled) and waits for the page it leads to. */
    private static void logIn(PortalBrowser b, String expectedPath) {
        b.visible(By.id("login-password")).sendKeys(PASSWORD);
        b.driver().findElement(By.id("login-submit")).click();
        if (expectedPath != null) {
            b.until(d -> URI.create(d.getCurrentUrl()).getPath().equals(expectedPath));
        } else {
            b.visible(By.id("me"));
        }
    }

    private static void assertSecretGone(PortalBrowser b, String secret) {
        assertFalse(b.driver().getPageSource().contains(secret), "the secret is not in the page any more");
        Object stored = b.driver().executeScript("const all = [];"
                + "for (const s of [sessionStorage, localStorage]) for (let i = 0; i < s.length; i++) all.push(s.key(i), s.getItem(s.key(i)));"
                + "return all.join('\\n');");
        assertFalse(String.valueOf(stored).contains(secret), "the secret is not stored by the browser");
        assertTrue(String.valueOf(stored).contains("opentrade.session"), "the session is (the check looked at the storage)");
    }

    private static void assertNoSidewaysScroll(PortalBrowser b) {
        assertTrue((Boolean) b.driver().executeScript(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
                () -> "no sideways scroll on a phone: " + b.driver().executeScript("return [...document.querySelectorAll('*')]"
                        + ".filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth)"
                        + ".map((e) => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)"
                        + " + ' sw=' + e.scrollWidth + ' cw=' + e.clientWidth).join('; ')"));
    }

    /** A quote with the key, once market data is up (polling until it answers 200, with a deadline, not a fixed wait). */
    private HttpResponse<String> awaitQuote(URI base, String keyId, String secret) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            HttpResponse<String> r = get(base, "/v1/market/quotes?symbols=600000.SH", keyId, secret);
            if (r.statusCode() != 503 || System.nanoTime() > deadline) {
                return r;
            }
            Thread.sleep(200); // polling market readiness with a deadline, not a fixed wait
        }
    }

    private HttpResponse<String> get(URI base, String path, String keyId, String secret) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("X-API-Key", keyId).header("X-API-Secret", secret)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private void post(URI base, String path, JsonObject body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
    }

    private static void logIn(PortalBrowser b, String email, String password) {
        WebElement e = b.visible(By.id("login-email"));
        e.clear();
        e.sendKeys(email);
        WebElement p = b.visible(By.id("login-password"));
        p.clear();
        p.sendKeys(password);
        b.visible(By.id("login-submit")).click();
    }

}
