package org.opentrade.launcher.docs;

import org.opentrade.launcher.contract.OpenApiContract;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentrade.common.error.ErrorCode;
import org.opentrade.exchange.model.ResultCode;
import org.opentrade.gateway.adapter.http.HttpErrors;
import org.opentrade.gateway.domain.GatewayError;
import org.opentrade.market.adapter.http.MarketHttp;
import org.opentrade.market.domain.MarketError;
import org.opentrade.trade.adapter.http.TradeHttp;
import org.opentrade.trade.domain.TradeError;

/**
 * docs/errors.md against the code: every error number a service defines is listed for that service
 * with the HTTP status the service's one status mapping gives it (or as a stream/feed-only number), and
 * every row names a number its services really define, in the table of its range. A number added to
 * an enum without a line in the table, or a status changed in code only, fails here.
 */
class ErrorTableTest {
    /** Numbers the market stream sends only in WebSocket error frames, never as an HTTP answer. */
    private static final Set<MarketError> MARKET_FRAME_ONLY = EnumSet.of(MarketError.BAD_FRAME,
            MarketError.BAD_CHANNEL, MarketError.SUBSCRIPTION_LIMIT, MarketError.SLOW_CONSUMER);
    /** Numbers the order stream sends only in WebSocket error frames. */
    private static final Set<TradeError> TRADE_FRAME_ONLY = EnumSet.of(TradeError.SLOW_CONSUMER);
    /** Numbers only in the exchange's replies to feed consumers (event bus), never to a client. */
    private static final Set<ResultCode> FEED_ONLY = EnumSet.of(ResultCode.EVENTS_NOT_RETAINED,
            ResultCode.BAD_FEED_REQUEST);
    private static final Set<String> SERVICES = Set.of("gateway", "market-api", "trade-api", "exchange");
    private static final Pattern RANGE_HEADING = Pattern.compile("^## -(\\d)xxx\\b");
    private static final Pattern SERVICE = Pattern.compile("^[a-z][a-z-]*");

    /** One number as a service's code defines it; {@code status} null = not an HTTP answer. */
    private record Defined(String service, String constant, int errorNo, Integer status) {
    }

    /** One row of a table in docs/errors.md. */
    private record Row(int line, int range, int errorNo, String http, Set<String> services) {
        boolean lists(String service, int number) {
            return errorNo == number && services.contains(service);
        }

        boolean isHttp() {
            return http.matches("\\d{3}");
        }
    }

    private static List<Row> rows;

    @BeforeAll
    static void parse() throws IOException {
        Path file = OpenApiContract.repositoryRoot().resolve("docs/errors.md");
        rows = new ArrayList<>();
        int range = 0;
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            Matcher heading = RANGE_HEADING.matcher(line);
            if (heading.find()) {
                range = Integer.parseInt(heading.group(1));
                continue;
            }
            if (!line.startsWith("|")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            if (cells.length < 5 || !cells[1].strip().matches("-\\d{4}")) {
                continue; // a header or separator row
            }
            Set<String> services = new LinkedHashSet<>();
            for (String s : cells[3].split(",")) {
                Matcher m = SERVICE.matcher(s.strip());
                services.add(m.find() ? m.group() : s.strip());
            }
            rows.add(new Row(i + 1, range, Integer.parseInt(cells[1].strip()), cells[2].strip(), services));
        }
    }

    private static List<Defined> defined() {
        List<Defined> out = new ArrayList<>();
        for (GatewayError e : GatewayError.values()) {
            out.add(new Defined("gateway", "GatewayError." + e, e.code(), HttpErrors.status(e)));
        }
        for (MarketError e : MarketError.values()) {
            out.add(new Defined("market-api", "MarketError." + e, e.errorNo(),
                    MARKET_FRAME_ONLY.contains(e) ? null : MarketHttp.status(e)));
        }
        for (TradeError e : TradeError.values()) {
            out.add(new Defined("trade-api", "TradeError." + e, e.errorNo(),
                    TRADE_FRAME_ONLY.contains(e) ? null : TradeHttp.status(e)));
        }
        for (ResultCode c : ResultCode.values()) {
            if (!c.isOk()) { // trade-api is the edge that answers the exchange's refusals over HTTP
                out.add(new Defined("exchange", "ResultCode." + c, c.code(), FEED_ONLY.contains(c) ? null : TradeHttp.status(c)));
            }
        }
        return out;
    }

    @Test
    void theTablesHaveRows() {
        assertFalse(rows.isEmpty(), "docs/errors.md has no error rows");
    }

    @Test
    void everyNumberDefinedInCodeIsListedForItsServiceWithItsStatus() {
        List<String> problems = new ArrayList<>();
        for (Defined d : defined()) {
            List<Row> listed = rows.stream().filter(r -> r.lists(d.service(), d.errorNo())).toList();
            String what = d.constant() + " (" + d.errorNo() + ", " + d.service() + ")";
            if (listed.isEmpty()) {
                problems.add(what + " is not listed for " + d.service());
            }
            for (Row r : listed) {
                if (d.status() == null && r.isHttp()) {
                    problems.add(what + " is never an HTTP answer, but line " + r.line() + " gives HTTP " + r.http());
                } else if (d.status() != null && !r.http().equals(String.valueOf(d.status()))) {
                    problems.add(what + " is answered " + d.status() + ", line " + r.line() + " says " + r.http());
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyNumberEveryServiceSharesIsListed() {
        List<String> missing = new ArrayList<>();
        for (ErrorCode c : ErrorCode.values()) {
            if (rows.stream().noneMatch(r -> r.errorNo() == c.code())) {
                missing.add("ErrorCode." + c + " (" + c.code() + ")");
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyRowNamesANumberItsServicesDefineInTheTableOfItsRange() {
        List<Defined> defined = defined();
        List<String> problems = new ArrayList<>();
        for (Row r : rows) {
            if (r.range() != -r.errorNo() / 1000) {
                problems.add("line " + r.line() + ": " + r.errorNo() + " is in the table of -" + r.range() + "xxx");
            }
            if (!r.isHttp() && !r.http().equals("frame") && !r.http().equals("feed")) {
                problems.add("line " + r.line() + ": HTTP is a status, frame or feed, not " + r.http());
            }
            for (String s : r.services()) {
                if (!SERVICES.contains(s)) {
                    problems.add("line " + r.line() + ": unknown service " + s + " (one of " + SERVICES + ")");
                } else if (defined.stream().noneMatch(d -> d.service().equals(s) && d.errorNo() == r.errorNo())) {
                    problems.add("line " + r.line() + ": " + s + " defines no " + r.errorNo());
                }
            }
        }
        assertEquals(List.of(), problems);
    }
}
