package org.opentrade.launcher.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.opentrade.launcher.contract.AllInOneFixture;
import org.opentrade.launcher.contract.SharedAllInOne;

/**
 * The docs page and the guides in a real browser: Swagger UI renders the contract and its try-it
 * calls the real gateway with the developer's portal session; the AsyncAPI rendering shows both
 * streams and its sections open; the guides load, and switch to their 简体中文 files and back (the
 * code blocks unchanged, an English link followed in 中文 lands on the Chinese file); the page text
 * switches to 简体中文; a phone-size run; no console errors (a Content-Security-Policy violation is one).
 */
@ExtendWith(SharedAllInOne.class)
class DocsBrowserIT {

    @Test
    void docsRenderTryItWithTheSessionStreamsGuidesLanguageAndPhone(AllInOneFixture aio) throws Exception {
        JsonObject login = aio.newSession();
        try (PortalBrowser b = PortalBrowser.open(aio.baseUri().toString())) {
            b.logInAs(login);

            b.go("/docs.html");
            b.textIn(By.id("try-session"), login.getString("email"));
            WebElement limits = b.visible(By.id("operations-Metering-getLimits"));
            b.visible(By.id("operations-tag-Market"));
            b.screenshot("docs-rest");
            // The contract's contact link names the default all-in-one (localhost:8080): shown as this server.
            List<WebElement> contact = b.driver().findElements(By.cssSelector(".info__contact a"));
            assertFalse(contact.isEmpty(), "the contact link is shown");
            for (WebElement a : contact) {
                assertEquals(aio.baseUri() + "/", a.getDomAttribute("href"), "the portal's contact link is this server");
            }

            // Try it out: GET /v1/limits, answered 200 by the gateway because the session was sent.
            click(b, limits.findElement(By.cssSelector(".opblock-summary-control")));
            click(b, b.visible(By.cssSelector("#operations-Metering-getLimits .try-out__btn")));
            click(b, b.visible(By.cssSelector("#operations-Metering-getLimits button.execute")));
            b.textIn(By.cssSelector("#operations-Metering-getLimits .live-responses-table .response .response-col_status"), "200");
            String body = b.visible(By.cssSelector("#operations-Metering-getLimits .live-responses-table tr.response .response-col_description"))
                    .getText();
            assertTrue(body.contains("\"route_weights\""), "the limits as the gateway answered them: " + body);
            String curl = b.visible(By.cssSelector("#operations-Metering-getLimits .curl-command")).getText();
            assertTrue(curl.contains("Authorization: Bearer " + login.getString("token")), "try-it sent the session: " + curl);
            assertTrue(curl.contains(aio.baseUri().toString() + "/v1/limits"), "try-it called this server: " + curl);

            // The streams, rendered from the AsyncAPI document (at build time), with working sections.
            click(b, b.visible(By.id("tab-streams")));
            b.textIn(By.id("asyncapi"), "/v1/stream/market");
            b.textIn(By.id("asyncapi"), "/v1/stream/orders");
            assertTrue(b.driver().findElement(By.id("panel-rest")).getAttribute("hidden") != null, "one panel at a time");
            WebElement toggle = b.visible(By.cssSelector("#asyncapi button[aria-expanded='false']"));
            click(b, toggle);
            assertEquals("true", toggle.getAttribute("aria-expanded"), "a section opens");
            b.screenshot("docs-streams");

            click(b, b.visible(By.id("tab-guides")));
            click(b, b.visible(By.cssSelector("#panel-guides a[href='/guides/rest.html']")));
            guide(b, "rest", "REST", "curl");
            guide(b, "websocket", "WebSocket", null);
            guide(b, "sdk", "SDK", "java");
            assertTrue(b.driver().findElement(By.cssSelector("pre code[data-example='python']")).isDisplayed());

            // 简体中文 guides: the switch replaces the guide with guides/zh/<name>.html, code blocks unchanged.
            List<String> sdkCode = preTexts(b);
            new Select(b.visible(By.id("lang"))).selectByValue("zh");
            zhGuide(b, "sdk", "Java 与 Python SDK", sdkCode);
            b.screenshot("guide-sdk-zh");
            // An English link (docs, home) with 中文 chosen lands on the Chinese file, the anchor kept.
            b.go("/guides/rest.html#idempotency");
            b.until(d -> d.getCurrentUrl().endsWith("/guides/zh/rest.html#idempotency"));
            b.textIn(By.cssSelector("#idempotency h2"), "幂等");
            b.screenshot("guide-rest-zh");
            b.phone(true);
            b.go("/guides/fix.html");
            zhGuide(b, "fix", "FIX 4.4 直连交易", null);
            b.screenshot("guide-fix-zh-phone");
            assertEquals("", overflow(b), "no sideways scroll on a phone");
            b.phone(false);
            b.go("/guides/websocket.html");
            zhGuide(b, "websocket", "WebSocket 推送流指南", null);
            b.screenshot("guide-websocket-zh");
            new Select(b.visible(By.id("lang"))).selectByValue("en");
            b.until(d -> d.getCurrentUrl().endsWith("/guides/websocket.html"));
            b.textIn(By.cssSelector("h1"), "WebSocket streams guide");
            b.visible(By.cssSelector("#shell nav"));
            assertEquals("en", b.driver().findElement(By.tagName("html")).getAttribute("lang"));
            b.go("/guides/sdk.html");
            b.textIn(By.cssSelector("h1"), "Java and Python SDKs");
            assertEquals(sdkCode, preTexts(b), "the English guide again");

            // 简体中文: the page's own text switches (the renderers stay English).
            b.go("/docs.html");
            b.visible(By.id("operations-Metering-getLimits"));
            new Select(b.visible(By.id("lang"))).selectByValue("zh");
            b.textIn(By.cssSelector(".page-head h1"), "API 文档");
            assertEquals("推送流（AsyncAPI）", b.visible(By.id("tab-streams")).getText());
            b.textIn(By.id("try-session"), "会话");

            b.phone(true);
            b.go("/docs.html");
            b.visible(By.id("operations-Metering-getLimits"));
            b.screenshot("docs-phone");
            // clientWidth: the viewport without its scroll bar. The message names what sticks out, if anything.
            assertEquals("", overflow(b), "no sideways scroll on a phone");
            new Select(b.visible(By.id("lang"))).selectByValue("en");
            assertEquals(List.of(), b.consoleErrors(), "no console errors");
        }
    }

    /** Opens a guide, checks its title and (if named) its tested example, and keeps a screenshot. */
    private static void guide(PortalBrowser b, String name, String titleWord, String example) throws Exception {
        if (!b.driver().getCurrentUrl().endsWith("/guides/" + name + ".html")) {
            b.go("/guides/" + name + ".html");
        }
        b.textIn(By.cssSelector("h1"), titleWord);
        b.visible(By.cssSelector("#shell nav"));
        if (example != null) {
            assertTrue(b.visible(By.cssSelector("pre code[data-example='" + example + "']")).getText().length() > 50);
        }
        b.screenshot("guide-" + name);
    }

    /**
     * Waits for a guide's 简体中文 file (its own page, drawn: the shell shows only where guide.js does not
     * navigate on) and checks its title, its language and, if given, that its code blocks are the English ones.
     */
    private static void zhGuide(PortalBrowser b, String name, String title, List<String> englishCode) throws Exception {
        b.until(d -> d.getCurrentUrl().endsWith("/guides/zh/" + name + ".html"));
        b.textIn(By.cssSelector("h1"), title);
        b.visible(By.cssSelector("#shell nav"));
        assertEquals("zh-CN", b.driver().findElement(By.tagName("html")).getAttribute("lang"));
        assertEquals("zh", new Select(b.visible(By.id("lang"))).getFirstSelectedOption().getAttribute("value"));
        assertTrue(b.driver().getCurrentUrl().endsWith("/guides/zh/" + name + ".html"), "no further navigation");
        if (englishCode != null) {
            assertEquals(englishCode, preTexts(b), "the Chinese guide shows the English guide's code blocks");
        }
    }

    /** The text of every code block of the page, as the browser shows it. */
    @SuppressWarnings("unchecked")
    private static List<String> preTexts(PortalBrowser b) {
        List<String> texts = (List<String>) b.driver().executeScript(
                "return Array.from(document.querySelectorAll('pre')).map((p) => p.textContent);");
        assertFalse(texts.isEmpty(), "the guide has code blocks");
        return texts;
    }

    /** What sticks out of the viewport sideways (clientWidth: the viewport without its scroll bar), or "". */
    private static Object overflow(PortalBrowser b) {
        return b.driver().executeScript("const w = document.documentElement.clientWidth;"
                + " if (document.documentElement.scrollWidth <= w + 1) return '';"
                + " return Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > w + 1)"
                + ".slice(0, 8).map((e) => e.tagName + '.' + e.className + '#' + e.id).join(' ');");
    }

    /** Scrolls an element into view and clicks it (Swagger UI's buttons may sit under the fold). */
    static void click(PortalBrowser b, WebElement e) {
        ((JavascriptExecutor) b.driver()).executeScript("arguments[0].scrollIntoView({block: 'center'});", e);
        e.click();
    }

}
