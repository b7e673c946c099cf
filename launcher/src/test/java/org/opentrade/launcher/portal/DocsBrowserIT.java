package org.opentrade.launcher.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * streams and its sections open; the guides load; the page text switches to 简体中文; a phone-size
 * run; no console errors (a Content-Security-Policy violation is one).
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
            assertEquals("", b.driver().executeScript("const w = document.documentElement.clientWidth;"
                    + " if (document.documentElement.scrollWidth <= w + 1) return '';"
                    + " return Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > w + 1)"
                    + ".slice(0, 8).map((e) => e.tagName + '.' + e.className + '#' + e.id).join(' ');"), "no sideways scroll on a phone");
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

    /** Scrolls an element into view and clicks it (Swagger UI's buttons may sit under the fold). */
    static void click(PortalBrowser b, WebElement e) {
        ((JavascriptExecutor) b.driver()).executeScript("arguments[0].scrollIntoView({block: 'center'});", e);
        e.click();
    }

}
