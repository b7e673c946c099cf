package org.opentrade.sdk.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentrade.gateway.domain.Ed25519Signatures;
import org.opentrade.launcher.contract.AllInOneFixture;

/**
 * The Python SDK against the all-in-one (the launcher's fixture, started once for the class), run with Debian's python3
 * ({@code python.executable}, /usr/bin/python3), never whatever python3 is first on PATH: the quickstart
 * example end to end, the Python unit tests, and the gateway's own verifier on signatures the Python
 * client made of non-ASCII bodies and repeated query parameters.
 */
class PythonSdkIT {
    private static final Path SDK = Path.of(System.getProperty("python.sdk.dir", "."));
    private static final String PYTHON = System.getProperty("python.executable", "/usr/bin/python3");
    private static final String PYTHONPATH = System.getProperty("python.generated.dir",
            SDK.resolve("target/generated-python").toString()) + ":" + SDK;

    private static AllInOneFixture aio;
    private static String baseUrl;

    @BeforeAll
    static void startAllInOne() throws Exception {
        aio = AllInOneFixture.start();
        baseUrl = aio.baseUri().toString();
    }

    @AfterAll
    static void stopAllInOne() throws Exception {
        if (aio != null) {
            aio.close();
        }
    }

    @Test
    void theRootReadmesPythonQuickStartRunsAsWritten() throws Exception {
        String readme = Files.readString(SDK.resolve("../../README.md"));
        int at = readme.indexOf("<!-- quickstart: python -->");
        assertTrue(at >= 0, "README.md has the Python quick start");
        int start = readme.indexOf("```python\n", at) + "```python\n".length();
        Path script = Files.createTempFile("readme-quickstart", ".py");
        Files.writeString(script, readme.substring(start, readme.indexOf("```\n", start)));
        JsonObject key = aio.newDeveloperKey("{\"scopes\":[\"market:read\",\"trade\"]}");
        Result run = python(60, Map.of("BASE", baseUrl, "KEY_ID", key.getString("key_id"), "SECRET", key.getString("secret")),
                script.toString());
        Files.deleteIfExists(script);

        assertEquals(0, run.exit, run.output);
        assertTrue(Pattern.compile("(?m)^600000\\.SH last \\d+\\.\\d{2}$").matcher(run.output).find(), run.output);
        assertTrue(Pattern.compile("(?m)^order \\d+ ").matcher(run.output).find(), run.output);
        assertTrue(Pattern.compile("(?m)^fill \\{").matcher(run.output).find(), "the fill came on the stream: " + run.output);
    }

    @Test
    void quickstartSignsUpReadsBarsTradesAndSeesItsFillOnTheStream() throws Exception {
        Result run = python(90, "examples/quickstart.py", baseUrl);

        assertEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("created ed25519 key otk_") && run.output.contains("created secret key otk_"),
                run.output);
        assertTrue(Pattern.compile("(?m)^bars: \\d+ of 600000\\.SH 1m$").matcher(run.output).find(), run.output);
        assertTrue(run.output.contains("order stream: subscribed"), run.output);
        Matcher fill = Pattern.compile("(?m)^fill: \\S+ buy 100 600000\\.SH at (\\d+\\.\\d{2}) \\((maker|taker)\\), "
                + "order (qs-[0-9a-f]{12})$").matcher(run.output);
        assertTrue(fill.find(), "the fill arrived on the order stream: " + run.output);
        assertTrue(run.output.contains("position: 600000.SH 100"), run.output);
        assertTrue(run.output.contains("market: continuous, around the clock"), run.output);
        assertTrue(Pattern.compile("(?m)^closed: market sell 100 600000\\.SH: order \\d+, ").matcher(run.output).find(),
                run.output);
    }

    @Test
    void pythonUnitTestsPass() throws Exception {
        Result run = python(60, "-m", "unittest", "discover", "-s", "tests", "-t", "tests", "-v");

        assertEquals(0, run.exit, run.output);
        Matcher ran = Pattern.compile("(?m)^Ran (\\d+) tests? in").matcher(run.output);
        assertTrue(ran.find(), run.output);
        assertTrue(Integer.parseInt(ran.group(1)) >= 14, "every Python test ran: " + run.output);
        assertTrue(Pattern.compile("(?m)^OK$").matcher(run.output).find(), run.output);
        // A socket or file left for the garbage collector is a leak (the stream client left one per reconnect,
        // and the warning, printed amid a test's line, also hid that test's "ok" from the checks below).
        assertFalse(run.output.contains("ResourceWarning"), "nothing left unclosed: " + run.output);
        for (String test : List.of("test_the_contracts_worked_example_signs_to_the_published_signature",
                "test_a_non_ascii_body_is_signed_and_sent_as_the_same_utf8_bytes",
                "test_resumes_after_a_dropped_connection_and_drops_duplicates")) {
            assertTrue(Pattern.compile("(?m)^" + test + " \\(.*\\) \\.\\.\\. ok$").matcher(run.output).find(),
                    test + " passed: " + run.output);
        }
    }

    /** place_order: a reused template is two orders, a timed-out placement is found by its id, refusals typed. */
    @Test
    void placeOrderIsExactlyOnceAndRefusalsCarryTheErrorModel() throws Exception {
        Result run = python(90, "tests/gateway_orders_check.py", baseUrl);
        assertEquals(0, run.exit, run.output);
        assertFalse(run.output.contains("FAIL"), run.output);
        assertEquals(6, run.output.lines().filter(l -> l.startsWith("ok ")).count(), run.output);
    }

    @Test
    void theGatewayVerifiesPythonSignaturesOfNonAsciiBodiesAndRepeatedParameters() throws Exception {
        Result run = python(60, "tests/gateway_signing_check.py", baseUrl);
        assertEquals(0, run.exit, run.output);
        List<JsonObject> lines = new ArrayList<>();
        for (String line : run.output.split("\n")) {
            if (line.startsWith("{")) {
                lines.add(new JsonObject(line));
            }
        }
        PublicKey key = Ed25519Signatures.parsePublicKey(lines.get(0).getString("public_key")).orElseThrow();
        assertEquals(5, lines.size(), run.output);

        for (JsonObject sent : lines.subList(1, lines.size())) {
            byte[] body = Base64.getDecoder().decode(sent.getString("body_b64"));
            String signed = Ed25519Signatures.stringToSign(sent.getString("timestamp"), sent.getString("method"),
                    sent.getString("target"), body.length == 0 ? null : body);
            boolean verifies = Ed25519Signatures.verify(key, sent.getString("signature"), signed);
            int status = sent.getInteger("status");
            if ("control".equals(sent.getString("name"))) {
                assertFalse(verifies, "signed by another key: " + sent);
                assertEquals(401, status, sent.encode());
                assertEquals(-2008, new JsonObject(sent.getString("answer")).getInteger("error_no"), sent.encode());
            } else {
                assertTrue(verifies, "the gateway's verifier accepts what Python signed: " + sent.encode());
                assertNotEquals(401, status, "the live gateway accepted the signature: " + sent.encode());
                assertNotEquals(403, status, sent.encode());
            }
        }
        JsonObject nonAscii = lines.get(1);
        String body = new String(Base64.getDecoder().decode(nonAscii.getString("body_b64")), StandardCharsets.UTF_8);
        assertTrue(body.contains("买入 Bücher ✓"), "the body went out as UTF-8 text: " + body);
        assertEquals(422, nonAscii.getInteger("status"), "past the gateway, trade-api refused the unknown field: "
                + nonAscii.encode());
        assertEquals("/v1/market/quotes?symbols=600000.SH&symbols=000001.SZ&symbols=600000.SH",
                lines.get(2).getString("target"));
        for (JsonObject repeated : lines.subList(2, 4)) {
            // Past the gateway's signature check, market-api refuses a parameter given twice (never reads the first).
            assertEquals(400, repeated.getInteger("status"), repeated.encode());
            JsonObject answer = new JsonObject(repeated.getString("answer"));
            assertEquals(-1002, answer.getInteger("error_no"), repeated.encode());
            assertTrue(answer.getString("error").endsWith("is given more than once; give it once"), repeated.encode());
        }
    }

    private record Result(int exit, String output) {
    }

    /** Runs Debian's python3 in sdk/python with the generated package and opentrade_sdk on PYTHONPATH. */
    private static Result python(int timeoutSeconds, String... args) throws Exception {
        return python(timeoutSeconds, Map.of(), args);
    }

    private static Result python(int timeoutSeconds, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(PYTHON);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(SDK.toFile()).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", PYTHONPATH);
        pb.environment().put("PYTHONIOENCODING", "utf-8");
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        pb.environment().putAll(env);
        Process process = pb.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " still running after " + timeoutSeconds + " s:\n"
                    + output.get(5, TimeUnit.SECONDS));
        }
        return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    }

    private static String readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }
}
