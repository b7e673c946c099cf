package org.opentrade.exchange.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrade.exchange.model.Price;

/** Prices are whole hundredths; text converts only at the edges and only from plain decimals. */
class PriceTest {

    @ParameterizedTest(name = "\"{0}\" is {1} hundredths")
    @CsvSource({
        "0, 0", "0.00, 0", "0.01, 1", "0.1, 10", "10, 1000", "10.0, 1000", "10.01, 1001", "10.1, 1010",
        "00.50, 50", "123456.78, 12345678", "100000000, 10000000000", "100000000.00, 10000000000"})
    void plainDecimalsWithUpToTwoPlacesParse(String text, long hundredths) {
        assertEquals(hundredths, Price.parse(text));
    }

    @ParameterizedTest(name = "\"{0}\" is invalid")
    @ValueSource(strings = {
        "", " ", "1.234", "10.001", "-5", "-0.01", "+5", "1e3", "1E3", "0x10", ".5", "5.", "1..2", "1.2.3", "1,5",
        " 5", "5 ", "NaN", "Infinity", "abc", "12a", "99999999999999999999", "999999999999999999999",
        "100000000.01", "999999999999", "9223372036854775807", "\u0661\u0662", "\uFEFF5"})
    void anythingElseIsInvalid(String text) {
        assertEquals(Price.INVALID, Price.parse(text));
    }

    @Test
    void nullIsInvalid() {
        assertEquals(Price.INVALID, Price.parse(null));
    }

    @ParameterizedTest(name = "{0} formats as \"{1}\"")
    @CsvSource({"1, 0.01", "5, 0.05", "10, 0.10", "100, 1.00", "1001, 10.01", "10000000000, 100000000.00",
        "-5, -0.05", "-1001, -10.01"})
    void formatsWithTwoPlaces(long hundredths, String text) {
        assertEquals(text, Price.format(hundredths));
    }

    @Test
    void noPriceFormatsAsEmpty() {
        assertEquals("", Price.format(Price.NONE));
    }

    @Test
    void everyValidPriceSurvivesARoundTrip() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            long p = 1 + r.nextLong(Price.MAX);
            assertEquals(p, Price.parse(Price.format(p)));
        }
        assertEquals(Price.MAX, Price.parse(Price.format(Price.MAX)));
    }
}
