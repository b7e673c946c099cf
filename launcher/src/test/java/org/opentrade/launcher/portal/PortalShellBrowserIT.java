package org.opentrade.launcher.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.opentrade.launcher.contract.AllInOneFixture;
import org.opentrade.launcher.contract.SharedAllInOne;

/** The portal's shell in a real browser: the home page, the language switch remembered, a phone-size run. */
@ExtendWith(SharedAllInOne.class)
class PortalShellBrowserIT {

    @Test
    void homeShowsStatusSwitchesLanguageAndRemembersIt(AllInOneFixture aio) throws Exception {
        try (PortalBrowser b = PortalBrowser.open(aio.baseUri().toString())) {
            b.go("/");
            b.textIn(By.id("ready"), "ready");
            assertEquals("Sign up and get a key", b.visible(By.cssSelector(".cta .button")).getText());
            b.screenshot("home-en");
            new Select(b.visible(By.id("lang"))).selectByValue("zh");
            b.textIn(By.cssSelector(".cta .button"), "注册并获取密钥");
            assertEquals("zh-CN", b.driver().findElement(By.tagName("html")).getAttribute("lang"));
            b.go("/");
            b.textIn(By.id("ready"), "就绪");
            assertEquals("注册并获取密钥", b.visible(By.cssSelector(".cta .button")).getText(), "the choice is remembered");
            b.phone(true);
            b.screenshot("home-zh-phone");
            assertTrue((Boolean) b.driver().executeScript(
                    "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "no sideways scroll on a phone");
            new Select(b.visible(By.id("lang"))).selectByValue("en");
            assertEquals(java.util.List.of(), b.consoleErrors(), "no console errors");
        }
    }
}
