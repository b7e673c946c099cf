package org.opentrade.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final String RESOURCE = "sample-service.yaml";

    enum Mode { FAST, SAFE, A_SHARE }

    private static Config load(Map<String, String> env, Map<String, String> props) {
        return ConfigLoader.of(env, props).load(RESOURCE, "sample.config", "SAMPLE_CONFIG");
    }

    @Test
    void classpathDefaultIsReadWithEnvironmentDefaults() {
        Config c = load(Map.of(), Map.of());
        assertEquals("0.0.0.0", c.string("http.host"));
        assertEquals(8080, c.section("http").intValue("port", 1, 1, 65535));
        assertEquals(Mode.FAST, c.enumValue("mode", Mode.class, Mode.SAFE));
        assertEquals(Duration.ofMillis(250), c.duration("timeout", Duration.ZERO));
        assertEquals(List.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 2)), c.dates("holidays"));
    }

    @Test
    void environmentVariableReplacesThePlaceholder() {
        Config c = load(Map.of("SAMPLE_PORT", "9090"), Map.of());
        assertEquals(9090, c.intValue("http.port", 1, 1, 65535));
    }

    @Test
    void overrideFileFromSystemPropertyMergesKeyByKey(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("override.yaml");
        Files.writeString(f, "http:\n  port: 7000\nmode: safe\n");
        Config c = load(Map.of(), Map.of("sample.config", f.toString()));
        assertEquals("0.0.0.0", c.string("http.host"), "keys the override does not name keep their default");
        assertEquals(7000, c.intValue("http.port", 1, 1, 65535));
        assertEquals(Mode.SAFE, c.enumValue("mode", Mode.class, Mode.FAST));
        assertTrue(c.origin().contains("override.yaml"));
    }

    @Test
    void overrideFileFromEnvironmentIsUsedWhenNoPropertyIsSet(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("o.yaml");
        Files.writeString(f, "mode: a-share\n");
        Config c = load(Map.of("SAMPLE_CONFIG", f.toString()), Map.of());
        assertEquals(Mode.A_SHARE, c.enumValue("mode", Mode.class, Mode.FAST));
    }

    @Test
    void missingOverrideFileFailsNamingTheVariable(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Map.of("SAMPLE_CONFIG", dir.resolve("nope.yaml").toString()), Map.of()));
        assertTrue(e.getMessage().contains("SAMPLE_CONFIG"), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void missingResourceFailsAtLoad() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.of(Map.of(), Map.of()).load("no-such.yaml", null, null));
        assertTrue(e.getMessage().contains("no-such.yaml"), e.getMessage());
    }

    @Test
    void badIntegerNamesKeyValueAndRange() {
        Config c = load(Map.of("SAMPLE_PORT", "eighty"), Map.of());
        ConfigException e = assertThrows(ConfigException.class, () -> c.intValue("http.port", 8080, 1, 65535));
        assertEquals("config key 'http.port' has value 'eighty'; allowed: an integer in 1..65535 "
                + "(classpath:sample-service.yaml)", e.getMessage());
    }

    @Test
    void outOfRangeIntegerIsRejected() {
        Config c = load(Map.of("SAMPLE_PORT", "70000"), Map.of());
        ConfigException e = assertThrows(ConfigException.class, () -> c.intValue("http.port", 8080, 1, 65535));
        assertTrue(e.getMessage().contains("1..65535"), e.getMessage());
    }

    @Test
    void badEnumListsTheAllowedValues() {
        Config c = ConfigLoader.of(Map.of(), Map.of()).fromText("mode: turbo\n", "test");
        ConfigException e = assertThrows(ConfigException.class, () -> c.enumValue("mode", Mode.class, Mode.FAST));
        assertTrue(e.getMessage().contains("'mode'"), e.getMessage());
        assertTrue(e.getMessage().contains("[fast, safe, a-share]"), e.getMessage());
    }

    @Test
    void unsetVariableWithoutDefaultFailsNamingKeyAndVariable() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.of(Map.of(), Map.of()).fromText("db:\n  password: ${DB_PASSWORD}\n", "test"));
        assertTrue(e.getMessage().contains("'db.password'"), e.getMessage());
        assertTrue(e.getMessage().contains("DB_PASSWORD"), e.getMessage());
    }

    @Test
    void substitutionWorksInsideLongerTextAndLists() {
        Config c = ConfigLoader.of(Map.of("HOST", "example"), Map.of())
                .fromText("url: http://${HOST}:${PORT:80}/x\nnames: [a, '${HOST}']\ncost: $$5\n", "test");
        assertEquals("http://example:80/x", c.string("url"));
        assertEquals(List.of("a", "example"), c.strings("names"));
        assertEquals("$5", c.string("cost"));
    }

    @Test
    void emptyValueTakesTheDefault() {
        Config c = ConfigLoader.of(Map.of(), Map.of()).fromText("file: ${INSTRUMENTS:}\nother:\n", "test");
        assertFalse(c.has("file"));
        assertEquals("fallback", c.string("file", "fallback"));
        assertEquals("x", c.string("other", "x"));
    }

    @Test
    void requiredKeyMissingFails() {
        Config c = ConfigLoader.of(Map.of(), Map.of()).fromText("a: 1\n", "test");
        ConfigException e = assertThrows(ConfigException.class, () -> c.string("b"));
        assertTrue(e.getMessage().contains("'b' is required"), e.getMessage());
    }

    @Test
    void misspeltKeyIsReportedAsUnknown() {
        Config c = ConfigLoader.of(Map.of(), Map.of()).fromText("http:\n  prot: 80\n  host: x\n", "test");
        c.section("http").string("host");
        c.section("http").intValue("port", 8080, 1, 65535);
        ConfigException e = assertThrows(ConfigException.class, c::rejectUnknownKeys);
        assertTrue(e.getMessage().contains("[http.prot]"), e.getMessage());
        assertTrue(e.getMessage().contains("http.port"), e.getMessage());
    }

    @Test
    void allKeysReadPassesTheUnknownKeyCheck() {
        Config c = load(Map.of(), Map.of());
        c.string("http.host");
        c.intValue("http.port", 1, 1, 65535);
        c.string("mode");
        c.duration("timeout", Duration.ZERO);
        c.dates("holidays");
        c.rejectUnknownKeys();
    }

    @Test
    void typedReadersAcceptTheirDocumentedForms() {
        Config c = ConfigLoader.of(Map.of(), Map.of()).fromText(
                "on: yes\nt: '15:00'\nd: PT2S\nm: 10m\nx: 0.25\nbig: 100_000\nlist: 'a, b ,c'\n", "test");
        assertTrue(c.bool("on", false));
        assertEquals(LocalTime.of(15, 0), c.time("t", null));
        assertEquals(Duration.ofSeconds(2), c.duration("d", null));
        assertEquals(Duration.ofMinutes(10), c.duration("m", null));
        assertEquals(0.25, c.doubleValue("x", 0, 0, 1));
        assertEquals(100_000, c.longValue("big", 0, 0, Long.MAX_VALUE));
        assertEquals(List.of("a", "b", "c"), c.strings("list"));
        assertEquals("one of [alpha, beta]", assertThrows(ConfigException.class,
                () -> c.oneOf("list", "alpha", "alpha", "beta")).getMessage().replaceAll(".*allowed: (.*) \\(.*", "$1"));
    }

    @Test
    void invalidYamlFailsWithTheOrigin() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.of(Map.of(), Map.of()).fromText("a: [1, 2\n", "broken.yaml"));
        assertTrue(e.getMessage().startsWith("broken.yaml is not valid YAML"), e.getMessage());
    }
}
