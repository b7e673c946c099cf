package org.opentrade.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Address literals and ranges, parsed as text only: nothing here may reach a name resolver. */
class CidrTest {

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.0/24", "10.0.0.1", "0.0.0.0/0", "255.255.255.255/32", "2001:db8::/32", "::",
            "::/0", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "FE80::A:b/64",
            "::ffff:1.2.3.4", "64:ff9b::192.0.2.33/96", "1:2:3:4:5:6:1.2.3.4", "[2001:db8::1]", "0.0.0.0"})
    void addressLiteralsAndRangesParse(String text) {
        assertTrue(Cidr.parse(text).isPresent(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"999.1.1.1", "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4/33", "1.2.3.4/",
            "1.2.3.4/-1", "2001:db8::/129", "fe80::1%eth0", "fe80::1%1", "1:2:3:4:5:6:7:8:9", "1::2::3",
            ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "1:2:3:4::5:6:7:8", "12345::", "::1.2.3", "1.2.3.4::", "::ffff:999.1.1.1",
            "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:1", ":::", "1:::2", "localhost", "example.com", "", " 1.2.3.4", "1.2.3.4 ",
            "[1.2.3.4]", "[::1", "0x7f.0.0.1", "127.1", "2130706433", "१.२.३.४"})
    void anythingElseIsRefused(String text) {
        assertFalse(Cidr.parse(text).isPresent(), text);
    }

    @Test
    void literalsGiveTheAddressBytes() {
        assertArrayEquals(new byte[] {(byte) 203, 0, 113, 7}, Cidr.literal("203.0.113.7").orElseThrow());
        assertArrayEquals(HexFormat.of().parseHex("20010db8000000000000000000000001"),
                Cidr.literal("2001:db8::1").orElseThrow());
        assertArrayEquals(HexFormat.of().parseHex("00000000000000000000ffff01020304"),
                Cidr.literal("::ffff:1.2.3.4").orElseThrow());
        assertArrayEquals(HexFormat.of().parseHex("00010000000000000000000000000000"), Cidr.literal("1::").orElseThrow());
        assertArrayEquals(new byte[16], Cidr.literal("::").orElseThrow());
    }

    @Test
    void rangesContainTheirAddressesOnly() {
        Cidr v4 = Cidr.parse("10.0.0.0/8").orElseThrow();
        assertTrue(v4.contains(Cidr.literal("10.255.1.2").orElseThrow()));
        assertTrue(v4.contains(Cidr.literal("::ffff:10.1.2.3").orElseThrow()));
        assertFalse(v4.contains(Cidr.literal("11.0.0.1").orElseThrow()));
        Cidr v6 = Cidr.parse("2001:db8:1::/48").orElseThrow();
        assertTrue(v6.contains(Cidr.literal("2001:db8:1:ffff::1").orElseThrow()));
        assertFalse(v6.contains(Cidr.literal("2001:db8:2::1").orElseThrow()));
        assertFalse(v6.contains(Cidr.literal("10.0.0.1").orElseThrow()));
    }

    @Test
    void anIpv4MappedRangeIsTheIpv4RangeForBothKindsOfClient() {
        Cidr mapped = Cidr.parse("::ffff:127.0.0.0/104").orElseThrow();
        assertTrue(mapped.contains(Cidr.literal("127.0.0.1").orElseThrow()), "an IPv4 client");
        assertTrue(mapped.contains(Cidr.literal("::ffff:127.9.9.9").orElseThrow()), "a mapped client");
        assertFalse(mapped.contains(Cidr.literal("128.0.0.1").orElseThrow()));
        assertFalse(mapped.contains(Cidr.literal("::1").orElseThrow()));
        assertTrue(Cidr.parse("::ffff:10.1.2.3").orElseThrow().contains(Cidr.literal("10.1.2.3").orElseThrow()));
        assertEquals("::ffff:127.0.0.0/104", mapped.toString(), "shown as given");
    }
}
