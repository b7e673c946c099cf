package org.opentrade.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentrade.launcher.contract.AllInOneFixture;
import org.opentrade.launcher.contract.OpenApiContract;
import org.opentrade.launcher.contract.SharedAllInOne;
import quickfix.Message;
import quickfix.SessionID;
import quickfix.SessionSettings;

/**
 * The root README's quick start, run as written against a fresh all-in-one: the curl block with
 * bash, the FIX block as a QuickFIX/J initiator's settings (only the port changed to the test's).
 */
@ExtendWith(SharedAllInOne.class)
class ReadmeQuickstartIT {

    static String block(String marker, String language) throws Exception {
        String readme = Files.readString(OpenApiContract.repositoryRoot().resolve("README.md"));
        int at = readme.indexOf("<!-- quickstart: " + marker + " -->");
        assertTrue(at >= 0, "README.md has the " + marker + " quick start");
        int start = readme.indexOf("```" + language + "\n", at) + language.length() + 4;
        return readme.substring(start, readme.indexOf("```\n", start));
    }

    @Test
    void theCurlQuickStartPlacesAnOrderAndShowsItsFill(AllInOneFixture aio) throws Exception {
        Path script = Files.createTempFile("readme-curl", ".sh");
        Files.writeString(script, "set -euo pipefail\n" + block("curl", "bash"));
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("BASE", aio.baseUri().toString());
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the curl quick start finished");
        String output = out.get(5, TimeUnit.SECONDS);
        Files.deleteIfExists(script);
        assertEquals(0, p.exitValue(), output);
        String[] lines = output.strip().split("\n");
        JsonObject order = new JsonObject(lines[lines.length - 2]);
        assertEquals("first-1", order.getString("client_order_id"), output);
        assertEquals("filled", order.getString("status"), "a market buy of 100 fills against the simulated book: " + output);
        JsonArray fills = new JsonObject(lines[lines.length - 1]).getJsonArray("items");
        assertTrue(fills.stream().map(JsonObject.class::cast)
                .anyMatch(f -> order.getString("order_id").equals(f.getString("order_id"))), output);
    }

    @Test
    void theFixSettingsLogOnAndTrade(AllInOneFixture aio) throws Exception {
        String settingsText = block("fix", "ini");
        assertTrue(settingsText.contains("SocketConnectPort=9878"), settingsText);
        int port = aio.app().trade().fixAcceptor().port();
        SessionSettings settings = new SessionSettings(new ByteArrayInputStream(
                settingsText.replace("SocketConnectPort=9878", "SocketConnectPort=" + port).getBytes(StandardCharsets.UTF_8)));
        JsonObject key = aio.newDeveloperKey("{\"scopes\":[\"trade\",\"fix\"]}");
        SessionID session = new SessionID("FIX.4.4", "MYFIRM", "OPENTRADE");
        try (FixGatewayLogonIT.Initiator fix = new FixGatewayLogonIT.Initiator(settings, session,
                key.getString("key_id"), key.getString("secret"))) {
            assertEquals("A", fix.next().getHeader().getString(35), "logged on with the README's settings");
            quickfix.fix44.NewOrderSingle nos = new quickfix.fix44.NewOrderSingle(); // 35=D 11=fix-1 55=600000.SH 54=1 40=1 38=100 60=now
            nos.setString(11, "fix-1");
            nos.setString(55, "600000.SH");
            nos.setChar(54, '1');
            nos.setChar(40, '1');
            nos.setString(38, "100");
            nos.setUtcTimeStamp(60, java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
            quickfix.Session.lookupSession(session).send(nos);
            Message er = fix.next();
            assertEquals("8", er.getHeader().getString(35), "an ExecutionReport: " + er);
            assertEquals("fix-1", er.getString(11));
            assertTrue(er.getString(9001).matches("[0-9a-f]{32}"), "tag 9001 carries the trace id: " + er);
        }
    }
}
