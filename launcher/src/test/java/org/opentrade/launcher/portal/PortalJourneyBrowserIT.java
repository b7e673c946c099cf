package org.opentrade.launcher.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.opentrade.launcher.contract.AllInOneFixture;
import org.opentrade.launcher.contract.SharedAllInOne;

/**
 * A new developer's first visit, in one browser session and only through the portal's pages: sign up,
 * log in, create a key, try an API call in the docs, buy in the sandbox console, watch it fill, open its
 * trace, switch to 中文, and look at it on a phone. The pages' own tests cover each page in depth.
 */
@ExtendWith(SharedAllInOne.class)
class PortalJourneyBrowserIT {

    @Test
    void signUpKeyTryItOrderFillTraceLanguageAndPhone(AllInOneFixture aio) throws Exception {
        String email = "journey-" + System.nanoTime() + "@example.com";
        String password = "a long journey password";
        try (PortalBrowser b = PortalBrowser.open(aio.baseUri().toString())) {
            b.go("/");
            DocsBrowserIT.click(b, b.visible(By.cssSelector(".cta a[href='/account.html']")));
            b.visible(By.id("signup-name")).sendKeys("Journey");
            b.driver().findElement(By.id("signup-email")).sendKeys(email);
            b.driver().findElement(By.id("signup-password")).sendKeys(password);
            b.driver().findElement(By.id("signup-submit")).click();
            b.textIn(By.id("signup-status"), email);
            b.visible(By.id("login-password")).sendKeys(password);
            b.driver().findElement(By.id("login-submit")).click();
            b.textIn(By.id("me-email"), email);
            b.screenshot("journey-1-account");

            DocsBrowserIT.click(b, b.visible(By.cssSelector("#shell a[href='/keys.html']")));
            b.visible(By.id("key-label")).sendKeys("journey");
            b.driver().findElement(By.id("scope-trade")).click();
            b.driver().findElement(By.id("create-submit")).click();
            assertTrue(b.visible(By.id("secret-value")).getText().startsWith("ots_"), "the secret, once");
            b.screenshot("journey-2-key");
            b.driver().findElement(By.id("secret-dismiss")).click();

            DocsBrowserIT.click(b, b.visible(By.cssSelector("#shell a[href='/docs.html']")));
            DocsBrowserIT.click(b, b.visible(By.cssSelector("#operations-Metering-getLimits .opblock-summary-control")));
            DocsBrowserIT.click(b, b.visible(By.cssSelector("#operations-Metering-getLimits .try-out__btn")));
            DocsBrowserIT.click(b, b.visible(By.cssSelector("#operations-Metering-getLimits button.execute")));
            b.textIn(By.cssSelector("#operations-Metering-getLimits .live-responses-table .response .response-col_status"), "200");
            b.screenshot("journey-3-try-it");

            DocsBrowserIT.click(b, b.visible(By.cssSelector("#shell a[href='/console.html']")));
            b.visible(By.cssSelector("#depth-bids tr .price"));
            new Select(b.visible(By.id("t-type"))).selectByValue("market");
            String clientOrderId = b.visible(By.id("t-coid")).getDomProperty("value");
            b.visible(By.id("t-submit")).click();
            b.until(d -> "filled".equals(ConsoleBrowserIT.statusOf(b, clientOrderId)));
            b.screenshot("journey-4-filled");

            ConsoleBrowserIT.clickIn(b, clientOrderId, "a.trace");
            b.until(d -> d.getCurrentUrl().contains("/trace.html?id="));
            b.until(d -> ConsoleBrowserIT.servicesShown(b).containsAll(Set.of("api-gateway", "trade-api", "sandbox-exchange")));
            b.screenshot("journey-5-trace");

            new Select(b.visible(By.id("lang"))).selectByValue("zh");
            b.textIn(By.cssSelector("#shell a[href='/console.html']"), "沙盒控制台");
            b.phone(true);
            b.go("/console.html");
            b.until(d -> "filled".equals(ConsoleBrowserIT.statusOf(b, clientOrderId)));
            b.screenshot("journey-6-console-zh-phone");
            assertTrue((Boolean) b.driver().executeScript(
                    "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
                    () -> "no sideways scroll on a phone; wider than the screen: " + b.driver().executeScript(
                    "const w = document.documentElement.clientWidth;"
                    + " return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)"
                    + ".slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')"));
            new Select(b.visible(By.id("lang"))).selectByValue("en");
            assertEquals(List.of(), b.consoleErrors(), "no console errors on the whole journey");
        }
    }
}
