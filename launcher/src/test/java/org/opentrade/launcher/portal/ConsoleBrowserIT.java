package org.opentrade.launcher.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.opentrade.launcher.contract.AllInOneFixture;
import org.opentrade.launcher.contract.SharedAllInOne;

/**
 * The sandbox console and the trace viewer in a real browser against the all-in-one: live market
 * panels, an order placed from the ticket filling and showing up in the order list and positions, a
 * resting order replaced and canceled, an order placed elsewhere arriving over the order stream, the
 * trace of the filled order's request as a waterfall, the account reset, 简体中文, a phone-size run, no console errors;
 * the volume histogram under the candles, the instrument search (by part of a name, with the keyboard),
 * and a stop-limit order resting untriggered, offered no replace, canceled.
 */
@ExtendWith(SharedAllInOne.class)
class ConsoleBrowserIT {
    private static final String SYMBOL = "600000.SH";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void tradesInTheConsoleAndShowsTheOrdersTrace(AllInOneFixture aio) throws Exception {
        URI base = aio.baseUri();
        String email = "console-" + System.nanoTime() + "@example.com";
        call(base, "POST", "/v1/developers", "{\"email\":\"" + email + "\",\"password\":\"long enough pw\",\"name\":\"C\"}", null, 201);
        JsonObject session = call(base, "POST", "/v1/sessions", "{\"email\":\"" + email + "\",\"password\":\"long enough pw\"}", null, 201);
        String token = session.getString("token");
        // A resting buy well inside the daily band (±10 %) but far below the market: 5 % under the previous close.
        BigDecimal prevClose = new BigDecimal(call(base, "GET", "/v1/market/instruments/" + SYMBOL, null, token, 200).getString("prev_close"));
        String restingPrice = prevClose.multiply(new BigDecimal("0.95")).setScale(2, RoundingMode.HALF_UP).toPlainString();
        String replacedPrice = prevClose.multiply(new BigDecimal("0.94")).setScale(2, RoundingMode.HALF_UP).toPlainString();
        int instruments = call(base, "GET", "/v1/market/instruments", null, token, 200).getJsonArray("items").size();
        // A stop-limit buy whose stop is far above the market (8 %, inside the band): it stays untriggered.
        String stopPrice = prevClose.multiply(new BigDecimal("1.08")).setScale(2, RoundingMode.HALF_UP).toPlainString();
        String stopLimitPrice = prevClose.multiply(new BigDecimal("1.09")).setScale(2, RoundingMode.HALF_UP).toPlainString();

        try (PortalBrowser b = PortalBrowser.open(base.toString())) {
            b.logInAs(session.copy().put("email", email));
            b.go("/console.html");

            // Market panels: the default instrument, a quote, a depth ladder, a drawn chart, both streams live.
            b.until(d -> SYMBOL.equals(js(b, "return document.getElementById('symbol').value")));
            b.until(d -> String.valueOf(js(b, "return document.getElementById('q-last').textContent")).matches("\\d+\\.\\d{2}"));
            b.until(d -> ((Number) js(b, "return document.querySelectorAll('#depth-bids tr').length")).intValue() > 0
                    && ((Number) js(b, "return document.querySelectorAll('#depth-asks tr').length")).intValue() > 0);
            // Read in one script: the ladder re-renders on every depth diff, so an element found first may be gone.
            assertTrue(String.valueOf(js(b, "return document.querySelector('#depth-bids tr .price').textContent"))
                    .matches("\\d+\\.\\d{2}"), "a bid price");
            b.until(d -> barsOf(b, "1m") > 0);
            assertTrue(((Number) js(b, "return Math.max(...[...document.querySelectorAll('#chart canvas')].map(c => c.width))"))
                    .intValue() > 100, "the chart's canvas is drawn");
            b.until(d -> "open".equals(js(b, "return document.getElementById('market-state').dataset.state"))
                    && "open".equals(js(b, "return document.getElementById('orders-state').dataset.state")));
            // Volume: a histogram bar under every candle, from the same history and live bars.
            b.until(d -> volumeBarsOf(b) == barsOf(b, "1m"));
            assertTrue(String.valueOf(js(b, "return document.getElementById('chart').getAttribute('aria-label')")).contains("volume"),
                    "the chart's label mentions the volume");
            b.screenshot("console");

            // Instrument search: part of a name filters the list; Enter opens the match; the quote follows.
            WebElement search = b.visible(By.id("symbol-search"));
            search.sendKeys("茅台");
            b.until(d -> List.of("600519.SH").equals(js(b, "return [...document.querySelectorAll('#symbol option')]"
                    + ".filter(o => o.value).map(o => o.value)")));
            b.textIn(By.id("symbol-count"), "1 of " + instruments);
            search.sendKeys(Keys.ENTER);
            b.textIn(By.id("q-name"), "600519.SH 贵州茅台");
            b.until(d -> lastPrice(b) > 100); // 600519.SH trades near 1 500, 600000.SH near 10
            b.until(d -> barsOf(b, "1m") > 0 && volumeBarsOf(b) == barsOf(b, "1m"));
            b.screenshot("console-search");
            // Back with Escape (the whole list again) and the list itself.
            search.sendKeys(Keys.ESCAPE);
            b.until(d -> ((Number) js(b, "return document.querySelectorAll('#symbol option').length")).intValue() == instruments);
            new Select(b.visible(By.id("symbol"))).selectByValue(SYMBOL);
            b.textIn(By.id("q-name"), SYMBOL);
            b.until(d -> lastPrice(b) > 0 && lastPrice(b) < 100);

            b.visible(By.cssSelector("#intervals button[data-interval='5m']")).click();
            b.until(d -> barsOf(b, "5m") > 0);
            assertEquals("true", b.driver().findElement(By.cssSelector("#intervals button[data-interval='5m']")).getAttribute("aria-pressed"));

            // A market buy from the ticket: filled in the list, the position and the account follow.
            new Select(b.visible(By.id("t-type"))).selectByValue("market");
            type(b, "t-qty", "100");
            String filledId = b.visible(By.id("t-coid")).getDomProperty("value");
            b.visible(By.id("t-submit")).click();
            b.until(d -> "filled".equals(statusOf(b, filledId)));
            b.textIn(By.cssSelector("#positions-body tr[data-symbol='" + SYMBOL + "'] .qty"), "100");
            b.until(d -> !"1,000,000.00".equals(b.driver().findElement(By.id("a-cash")).getText())
                    && b.driver().findElement(By.id("a-cash")).getText().matches("[\\d,]+\\.\\d{2}"));
            b.screenshot("console-filled");

            // The exchange's phase from its clock: the all-in-one's 24×7 calendar trades around the clock.
            b.until(d -> "continuous".equals(js(b, "return document.getElementById('market-clock').dataset.phase")));
            b.textIn(By.id("market-clock"), "Continuous trading, around the clock");
            // The position closed from its row: a market sell of its 100 sellable shares, then no position.
            b.visible(By.cssSelector("#positions-body tr[data-symbol='" + SYMBOL + "'] .close-position")).click();
            b.textIn(By.id("ticket-status"), SYMBOL + ": market sell of 100 shares placed");
            b.textIn(By.id("positions-body"), "No positions.");

            // A resting limit buy: replaced to a new price, then canceled, all from the list.
            new Select(b.visible(By.id("t-type"))).selectByValue("limit");
            type(b, "t-price", restingPrice);
            String restingId = b.visible(By.id("t-coid")).getDomProperty("value");
            assertTrue(!restingId.equals(filledId), "a fresh client order id per order");
            b.visible(By.id("t-submit")).click();
            b.until(d -> "new".equals(statusOf(b, restingId)));
            clickIn(b, restingId, ".replace");
            type(b, "r-price", replacedPrice);
            b.visible(By.id("r-submit")).click();
            b.textIn(By.cssSelector("#orders-body tr[data-coid='" + restingId + "'] .price"), replacedPrice);
            clickIn(b, restingId, ".cancel");
            b.until(d -> "canceled".equals(statusOf(b, restingId)));

            // A stop-limit buy: the stop price is checked like the others, then it rests untriggered
            // (status new), shows its stop, offers no replace (the exchange would answer -4009), is canceled.
            new Select(b.visible(By.id("t-type"))).selectByValue("stop_limit");
            b.textIn(By.id("t-type-hint"), "rises to or above");
            type(b, "t-price", stopLimitPrice);
            type(b, "t-stop", "ten");
            b.visible(By.id("t-submit")).click();
            b.textIn(By.id("ticket-status"), "Enter a stop price");
            type(b, "t-stop", stopPrice);
            String stopId = b.visible(By.id("t-coid")).getDomProperty("value");
            b.visible(By.id("t-submit")).click();
            b.until(d -> "new".equals(statusOf(b, stopId)));
            b.textIn(By.cssSelector("#orders-body tr[data-coid='" + stopId + "'] .stop"), stopPrice);
            b.textIn(By.cssSelector("#orders-body tr[data-coid='" + stopId + "'] .price"), stopLimitPrice);
            assertEquals(List.of(0L, 1L), js(b, "const r = [...document.querySelectorAll('#orders-body tr')]"
                    + ".find(x => x.dataset.coid === arguments[0]);"
                    + " return [r.querySelectorAll('.replace').length, r.querySelectorAll('.no-replace').length];", stopId));
            assertEquals(List.of(), b.accessibilityViolations(), "the ticket with a stop and the list with a stop-limit row");
            b.screenshot("console-stop-limit");
            clickIn(b, stopId, ".cancel");
            b.until(d -> "canceled".equals(statusOf(b, stopId)));

            // An order placed elsewhere (over HTTP) reaches the list only through the order stream.
            JsonObject elsewhere = call(base, "POST", "/v1/orders", "{\"symbol\":\"" + SYMBOL + "\",\"side\":\"buy\",\"type\":\"limit\","
                    + "\"price\":\"" + restingPrice + "\",\"qty\":100,\"client_order_id\":\"http-" + System.nanoTime() + "\"}", token, 201);
            String elsewhereId = elsewhere.getString("client_order_id");
            b.until(d -> "new".equals(statusOf(b, elsewhereId)));
            call(base, "DELETE", "/v1/orders/" + elsewhere.getString("order_id"), null, token, 200);
            b.until(d -> "canceled".equals(statusOf(b, elsewhereId)));

            // The filled order's trace: the request through the gateway, trade-api and the exchange.
            clickIn(b, filledId, "a.trace");
            b.until(d -> d.getCurrentUrl().contains("/trace.html?id="));
            b.until(d -> servicesShown(b).containsAll(Set.of("api-gateway", "trade-api", "sandbox-exchange")));
            WebElement root = b.visible(By.cssSelector("#spans li[data-depth='0']"));
            assertTrue(root.getText().contains("POST /v1/orders"), root.getText());
            assertTrue(root.findElement(By.cssSelector(".wf-duration")).getText().matches("[\\d.]+ ms"));
            assertTrue(!b.driver().findElement(By.cssSelector("#spans li[data-service='sandbox-exchange'] .wf-bar"))
                    .getDomAttribute("style").isEmpty(), "bars are placed by element.style");
            b.driver().findElement(By.cssSelector("#spans li[data-depth='0'] details summary")).click();
            b.textIn(By.cssSelector("#spans li[data-depth='0'] details dl"), "http.request.method");
            b.screenshot("trace");

            // A reset, confirmed: the cash back, no positions, the order history kept.
            b.go("/console.html");
            b.textIn(By.cssSelector("#orders-body tr[data-coid='" + filledId + "'] .status"), "filled");
            b.visible(By.id("reset")).click();
            b.visible(By.id("reset-yes")).click();
            b.textIn(By.id("a-cash"), "1,000,000.00");
            b.textIn(By.id("positions-body"), "No positions.");

            // 简体中文, on a phone.
            new Select(b.visible(By.id("lang"))).selectByValue("zh");
            b.textIn(By.id("ticket-h"), "下单");
            b.textIn(By.cssSelector("#orders-body tr[data-coid='" + filledId + "'] .status"), "已成交");
            b.textIn(By.id("t-submit"), "提交委托");
            b.textIn(By.cssSelector("label[for='symbol-search']"), "查找");
            b.textIn(By.id("t-type-hint"), "以限价挂单"); // the page was loaded again: a limit order
            b.phone(true);
            b.until(d -> barsOf(b, "1m") > 0);
            b.screenshot("console-zh-phone");
            assertTrue((Boolean) js(b, "return document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scroll on a phone");
            new Select(b.visible(By.id("lang"))).selectByValue("en");
            b.textIn(By.id("ticket-h"), "Order ticket");
            assertEquals(List.of(), b.consoleErrors(), "no console errors");
        }
    }

    private static Object js(PortalBrowser b, String script, Object... args) {
        return b.driver().executeScript(script, args);
    }

    private static long barsOf(PortalBrowser b, String interval) {
        Object r = b.driver().executeScript("const c = document.getElementById('chart');"
                + " return c.dataset.interval === arguments[0] ? Number(c.dataset.bars || 0) : 0;", interval);
        return ((Number) r).longValue();
    }

    private static long volumeBarsOf(PortalBrowser b) {
        return ((Number) js(b, "return Number(document.getElementById('chart').dataset.volumeBars || 0)")).longValue();
    }

    private static double lastPrice(PortalBrowser b) {
        String last = String.valueOf(js(b, "return document.getElementById('q-last').textContent"));
        return last.matches("\\d+\\.\\d{2}") ? Double.parseDouble(last) : 0;
    }

    static String statusOf(PortalBrowser b, String clientOrderId) {
        // Read in the page: the list is redrawn on every update, so a found row may be gone a moment later.
        return (String) b.driver().executeScript("const r = [...document.querySelectorAll('#orders-body tr')]"
                + ".find(x => x.dataset.coid === arguments[0]); return r ? r.dataset.status : null;", clientOrderId);
    }

    /** Clicks an action in an order's row; the list is redrawn on updates, so a stale row is found again. */
    static void clickIn(PortalBrowser b, String clientOrderId, String inRow) {
        By by = By.cssSelector("#orders-body tr[data-coid='" + clientOrderId + "'] " + inRow);
        b.until(d -> {
            try {
                b.visible(by).click();
                return true;
            } catch (StaleElementReferenceException e) {
                return false;
            }
        });
    }

    static Set<String> servicesShown(PortalBrowser b) {
        return b.driver().findElements(By.cssSelector("#spans li")).stream().map(e -> e.getDomAttribute("data-service"))
                .collect(Collectors.toSet());
    }

    private static void type(PortalBrowser b, String id, String text) {
        WebElement input = b.visible(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    private JsonObject call(URI base, String method, String path, String body, String token, int expected) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> res = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, res.statusCode(), method + " " + path + ": " + res.body());
        return new JsonObject(res.body());
    }
}
