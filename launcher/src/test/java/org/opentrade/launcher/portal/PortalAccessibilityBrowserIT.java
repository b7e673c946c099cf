package org.opentrade.launcher.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.opentrade.launcher.contract.AllInOneFixture;
import org.opentrade.launcher.contract.SharedAllInOne;

/**
 * Every portal page audited by axe-core (WCAG 2.1 A and AA) in Chromium, in English on a laptop and in
 * 简体中文 on a phone: no serious or critical violation in our markup. Swagger UI's and the AsyncAPI
 * renderer's own widgets are left out (their markup is the libraries').
 */
@ExtendWith(SharedAllInOne.class)
class PortalAccessibilityBrowserIT {
    /** Each page and an element that shows it has drawn its content. */
    private static final Map<String, By> PAGES = Map.of(
            "/", By.id("ready"), "/account.html", By.id("me-email"), "/keys.html", By.id("create-submit"),
            "/usage.html", By.id("budget-text"), "/docs.html", By.id("operations-Metering-getLimits"),
            "/console.html", By.cssSelector("#depth-bids tr .price"), "/trace.html", By.id("shell"),
            "/guides/rest.html", By.cssSelector("pre code"), "/guides/websocket.html", By.cssSelector("pre code"),
            "/guides/sdk.html", By.cssSelector("pre code"));

    @Test
    void noPageHasASeriousOrCriticalViolation(AllInOneFixture aio) throws Exception {
        JsonObject session = aio.newSession();
        List<String> problems = new ArrayList<>();
        try (PortalBrowser b = PortalBrowser.open(aio.baseUri().toString())) {
            b.logInAs(session);
            // English on a laptop, 中文 on a phone: both languages and both layouts, each page twice.
            for (String lang : List.of("en", "zh")) {
                boolean phone = lang.equals("zh");
                b.driver().executeScript("localStorage.setItem('opentrade.lang', arguments[0]);", lang);
                b.phone(phone);
                for (Map.Entry<String, By> page : PAGES.entrySet()) {
                    b.go(page.getKey());
                    b.visible(page.getValue());
                    for (String v : b.accessibilityViolations("#swagger-ui", "#asyncapi")) {
                        problems.add(page.getKey() + " [" + lang + (phone ? ", phone" : "") + "] " + v);
                    }
                }
            }
            b.driver().executeScript("localStorage.setItem('opentrade.lang', 'en');");
            assertEquals(List.of(), problems, String.join("\n", problems));
            assertEquals(List.of(), b.consoleErrors());
        }
    }
}
