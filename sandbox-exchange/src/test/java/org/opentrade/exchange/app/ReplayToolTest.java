package org.opentrade.exchange.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrade.exchange.adapter.csv.ReplayCommandParser;
import org.opentrade.exchange.adapter.csv.ReplayEventWriter;
import org.opentrade.exchange.domain.FastOrderBook;
import org.opentrade.exchange.domain.ReferenceOrderBook;

/** The replay tool against its contract (docs/contracts.md): exact output, bad rows, odd ids, file handling. */
class ReplayToolTest {
    private static final String HEADER = ReplayCommandParser.HEADER + "\n";
    private static final String OUT = ReplayEventWriter.HEADER + "\n";

    private static String replay(String input) {
        return ReplayCsv.replay(input, FastOrderBook::new);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ReplayToolTest.class.getResourceAsStream("/replay/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void goldenFileCoveringEveryEventTypeReplaysToTheHandComputedOutput() throws IOException {
        String expected = resource("golden-events.csv");
        assertEquals(expected, replay(resource("golden-commands.csv")));
        assertEquals(expected, ReplayCsv.replay(resource("golden-commands.csv"), ReferenceOrderBook::new));
    }

    @Test
    void emptyInputGivesOnlyTheHeader() {
        assertEquals(OUT, replay(""));
        assertEquals(OUT, replay(HEADER));
    }

    @Test
    void inputWithoutAHeaderIsReplayedFromTheFirstRow() {
        String rows = "NEW,1,a,X,SELL,LIMIT,GTC,10.00,100\nNEW,2,b,X,BUY,LIMIT,GTC,10.00,100\n";
        String expected = OUT + "1,ACCEPTED,1,,X,SELL,10.00,100,100\n2,ACCEPTED,2,,X,BUY,10.00,100,100\n"
                + "3,TRADE,2,1,X,BUY,10.00,100,0\n";
        assertEquals(expected, replay(rows));
        assertEquals(expected, replay(HEADER + rows));
    }

    @Test
    void byteOrderMarkBeforeTheHeaderOrTheFirstRowIsIgnored() {
        String rows = "NEW,1,a,X,SELL,LIMIT,GTC,10.00,100\n";
        String expected = OUT + "1,ACCEPTED,1,,X,SELL,10.00,100,100\n";
        assertEquals(expected, replay("\uFEFF" + HEADER + rows));
        assertEquals(expected, replay("\uFEFF" + rows));
    }

    @Test
    void windowsLineEndsGiveTheSameOutput() throws IOException {
        String golden = resource("golden-commands.csv");
        assertEquals(replay(golden), replay(golden.replace("\n", "\r\n")));
    }

    @Test
    void blankLinesAreSkippedWithoutAnEvent() {
        assertEquals(OUT + "1,ACCEPTED,1,,X,SELL,10.00,100,100\n",
                replay(HEADER + "\n   \n\t\nNEW,1,a,X,SELL,LIMIT,GTC,10.00,100\n\n"));
    }

    @Test
    void fieldsMayBeLowerCaseAndPaddedWithSpaces() {
        assertEquals(OUT + "1,ACCEPTED,1,,X,SELL,10.00,100,100\n",
                replay(HEADER + " new , 1 , a , X , sell , limit , gtc , 10.00 , 100 \n"));
    }

    /** Rows that cannot become a command: REJECTED with the id and symbol as written, nothing else. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "NEW,1,a,X,BUY,LIMIT,GTC,10.00,100,extra",
        "NEW,1,a,X,BUY,LIMIT,GTC,10.00,100,,",
        "NEW,1,a,X,BUY",
        "NEW,1,a,X",
        "FOO,1,a,X,BUY,LIMIT,GTC,10.00,100",
        "NEW,1,a,X,HOLD,LIMIT,GTC,10.00,100",
        "NEW,1,a,X,BUY,STOP,GTC,10.00,100",
        "NEW,1,a,X,BUY,LIMIT,DAY,10.00,100",
        "NEW,1,a,X,BUY,LIMIT,,10.00,100",
        "\"NEW\",1,a,X,BUY,LIMIT,GTC,10.00,100"})
    void rowsThatCannotBecomeACommandAreRejected(String row) {
        assertEquals(OUT + "1,REJECTED,1,,X,,,0,0\n", replay(HEADER + row + "\n"));
    }

    @ParameterizedTest(name = "price \"{0}\"")
    @ValueSource(strings = {"1.234", "-5", "-5.00", "1e3", "99999999999999999999", "", "0", "0.00", "abc", "10,00",
        "100000000.01", " . "})
    void limitRowWithABadPriceIsRejected(String price) {
        String row = "NEW,1,a,X,BUY,LIMIT,GTC," + price + ",100\n";
        String expected = price.contains(",")
                ? "1,REJECTED,1,,X,,,0,0\n" // a comma in the price makes ten fields
                : "1,REJECTED,1,,X,BUY,,100,0\n";
        assertEquals(OUT + expected, replay(HEADER + row));
    }

    @ParameterizedTest(name = "qty \"{0}\"")
    @ValueSource(strings = {"-5", "0", "1e3", "1.5", "10.00", "99999999999999999999", "", "abc", "+5", "0x10",
        "1000000000001"})
    void rowWithABadQuantityIsRejected(String qty) {
        assertEquals(OUT + "1,REJECTED,1,,X,BUY,10.00,0,0\n".replace(",0,0\n",
                qty.equals("1000000000001") ? ",1000000000001,0\n" : ",0,0\n"),
                replay(HEADER + "NEW,1,a,X,BUY,LIMIT,GTC,10.00," + qty + "\n"));
    }

    @Test
    void badRowsDoNotStopTheReplay() {
        String input = HEADER + "NEW,1,a,X,SELL,LIMIT,GTC,10.00,100\n" + "garbage\n" + ",,,,,,,,\n" + "NEW\n"
                + "NEW,2,b,X,BUY,LIMIT,GTC,1.234,100\n" + "NEW,3,b,X,BUY,LIMIT,GTC,10.00,100\n";
        assertEquals(OUT
                + "1,ACCEPTED,1,,X,SELL,10.00,100,100\n"
                + "2,REJECTED,,,,,,0,0\n"
                + "3,REJECTED,,,,,,0,0\n"
                + "4,REJECTED,,,,,,0,0\n"
                + "5,REJECTED,2,,X,BUY,,100,0\n"
                + "6,ACCEPTED,3,,X,BUY,10.00,100,100\n"
                + "7,TRADE,3,1,X,BUY,10.00,100,0\n", replay(input));
    }

    @Test
    void everyOutputRowHasExactlyTheNineContractFields() {
        String input = HEADER + "NEW,1,a,X,SELL,LIMIT,GTC,10.00,100\n" + "NEW,\"1,2\",a,X,BUY,LIMIT,GTC,10.00,100\n"
                + "NEW,a\u0001b,a,X\u0007Y,BUY,LIMIT,GTC,1.2.3,100\n" + "CANCEL,x,y,z,w,v,u,t,s,r,q\n"
                + "NEW,4,a,\"X\",BUY,MARKET,IOC,,1\n";
        String out = replay(input);
        for (String line : out.split("\n")) {
            assertEquals(9, line.split(",", -1).length, "fields of " + line);
        }
    }

    @Test
    void textOrderIdsAreEchoedAsWrittenAndWorkForCancelAndReplace() {
        String input = HEADER
                + "NEW,ord-A,a,X,SELL,LIMIT,GTC,10.00,100\n"
                + "NEW,007,b,X,SELL,LIMIT,GTC,10.01,100\n"
                + "NEW,7,c,X,SELL,LIMIT,GTC,10.02,100\n"
                + "REPLACE,007,,X,,,,10.01,50\n"
                + "NEW,99999999999999999999,d,X,BUY,LIMIT,GTC,10.00,60\n"
                + "CANCEL,ord-A\n"
                + "NEW,-5,e,X,BUY,MARKET,IOC,,60\n"
                + "CANCEL,7\n"
                + "CANCEL,ord-B\n";
        assertEquals(OUT
                + "1,ACCEPTED,ord-A,,X,SELL,10.00,100,100\n"
                + "2,ACCEPTED,007,,X,SELL,10.01,100,100\n"
                + "3,ACCEPTED,7,,X,SELL,10.02,100,100\n"
                + "4,REPLACED,007,,X,SELL,10.01,50,50\n"
                + "5,ACCEPTED,99999999999999999999,,X,BUY,10.00,60,60\n"
                + "6,TRADE,99999999999999999999,ord-A,X,BUY,10.00,60,0\n"
                + "7,CANCELED,ord-A,,X,SELL,10.00,40,0\n"
                + "8,ACCEPTED,-5,,X,BUY,,60,60\n"
                + "9,TRADE,-5,007,X,BUY,10.01,50,10\n"
                + "10,TRADE,-5,7,X,BUY,10.02,10,0\n"
                + "11,CANCELED,7,,X,SELL,10.02,90,0\n"
                + "12,REJECTED,ord-B,,,,,0,0\n", replay(input));
    }

    @Test
    void emptyOrTooLongOrderIdIsRejected() {
        String longId = "i".repeat(65);
        assertEquals(OUT + "1,REJECTED,,,X,,,0,0\n" + "2,REJECTED," + "i".repeat(64) + ",,X,,,0,0\n",
                replay(HEADER + "NEW,,a,X,BUY,LIMIT,GTC,10.00,100\n" + "NEW," + longId + ",a,X,BUY,LIMIT,GTC,10.00,100\n"));
    }

    @Test
    void duplicateLiveIdAndUnknownIdsAreRejectedAndProcessingContinues() {
        assertEquals(OUT
                + "1,ACCEPTED,1,,X,SELL,10.00,100,100\n"
                + "2,REJECTED,1,,X,BUY,10.00,100,0\n"
                + "3,REJECTED,2,,X,,10.00,100,0\n"
                + "4,REJECTED,3,,,,,0,0\n"
                + "5,CANCELED,1,,X,SELL,10.00,100,0\n",
                replay(HEADER + "NEW,1,a,X,SELL,LIMIT,GTC,10.00,100\n" + "NEW,1,a,X,BUY,LIMIT,GTC,10.00,100\n"
                        + "REPLACE,2,,X,,,,10.00,100\n" + "CANCEL,3\n" + "CANCEL,1\n"));
    }

    @Test
    void pureMatchingHasNoBandsLotsOrSelfTradePrevention() {
        assertEquals(OUT
                + "1,ACCEPTED,1,,600000.SH,SELL,99999.99,7,7\n"
                + "2,ACCEPTED,2,,600000.SH,BUY,99999.99,7,7\n"
                + "3,TRADE,2,1,600000.SH,BUY,99999.99,7,0\n",
                replay(HEADER + "NEW,1,same,600000.SH,SELL,LIMIT,GTC,99999.99,7\n"
                        + "NEW,2,same,600000.SH,BUY,LIMIT,GTC,99999.99,7\n"));
    }

    @Test
    void cancelNamingAnotherAccountOrSymbolIsRejected() {
        assertEquals(OUT
                + "1,ACCEPTED,1,,X,SELL,10.00,100,100\n"
                + "2,REJECTED,1,,,,,0,0\n"
                + "3,REJECTED,1,,Y,,,0,0\n"
                + "4,CANCELED,1,,X,SELL,10.00,100,0\n",
                replay(HEADER + "NEW,1,a,X,SELL,LIMIT,GTC,10.00,100\n" + "CANCEL,1,b\n" + "CANCEL,1,,Y\n"
                        + "CANCEL,1,a,X\n"));
    }

    @Test
    void fastAndReferenceBooksGiveTheSameOutputOnALargeRandomStream() {
        String input = ReplayCsv.randomInput(77, 300_000);
        String fast = ReplayCsv.replay(input, FastOrderBook::new);
        String reference = ReplayCsv.replay(input, ReferenceOrderBook::new);
        assertEquals(fast.length(), reference.length());
        assertTrue(fast.equals(reference), "outputs differ");
        String[] lines = fast.split("\n");
        assertTrue(lines.length > 400_000, "events: " + lines.length);
        assertTrue(Arrays.stream(lines).anyMatch(l -> l.contains(",EXPIRED,")));
    }

    @Test
    void replayOfFilesMatchesTheInProcessRun(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in.csv");
        Path out = dir.resolve("out.csv");
        String input = ReplayCsv.randomInput(5, 10_000);
        Files.writeString(in, input);
        long events = ReplayTool.run(in, out);
        String written = Files.readString(out);
        assertEquals(ReplayCsv.replay(input, FastOrderBook::new), written);
        assertEquals(events, written.split("\n").length - 1);
    }

    @Test
    void bytesThatAreNotUtf8OnlySpoilTheirOwnRow(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in.csv");
        Path out = dir.resolve("out.csv");
        byte[] latin1Account = "NEW,1,Jos\u00e9,X,SELL,LIMIT,GTC,10.00,100\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] badPrice = "NEW,2,b,X,BUY,LIMIT,GTC,1\u00ff.00,100\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] good = "NEW,3,c,X,BUY,LIMIT,GTC,10.00,100\n".getBytes(StandardCharsets.UTF_8);
        Files.write(in, concat(HEADER.getBytes(StandardCharsets.UTF_8), latin1Account, badPrice, good));
        ReplayTool.run(in, out);
        assertEquals(List.of(ReplayEventWriter.HEADER,
                "1,ACCEPTED,1,,X,SELL,10.00,100,100",
                "2,REJECTED,2,,X,BUY,,100,0",
                "3,ACCEPTED,3,,X,BUY,10.00,100,100",
                "4,TRADE,3,1,X,BUY,10.00,100,0"), Files.readAllLines(out));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @ParameterizedTest(name = "header \"{0}\"")
    @CsvSource(delimiter = '|', value = {
        "op,order_id,account,symbol,side,type,tif,price,qty",
        "OP,ORDER_ID,ACCOUNT,SYMBOL,SIDE,TYPE,TIF,PRICE,QTY",
        "op, order_id, account, symbol, side, type, tif, price, qty"})
    void headerIsRecognisedWithoutCaseOrSpaces(String header) {
        assertTrue(ReplayCommandParser.isHeader(header));
        assertEquals(OUT, replay(header + "\n"));
    }
}
