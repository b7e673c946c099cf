package org.opentrade.launcher.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AsyncAPI document of the streams and the OpenAPI contract describe the same frames: the frame
 * schemas live once, in opentrade.yaml, and the AsyncAPI messages only point at them. This keeps the
 * two from drifting: a frame added to a stream's {@code oneOf} in opentrade.yaml without a message in
 * the AsyncAPI document (or the reverse) fails here.
 */
class ContractDocumentsTest {
    private static final String PAYLOAD_PREFIX = "./opentrade.yaml#/components/schemas/";
    private static JsonNode openApi;
    private static JsonNode asyncApi;

    @BeforeAll
    static void load() throws IOException {
        Path dir = OpenApiContract.repositoryRoot().resolve("openapi");
        openApi = new YAMLMapper().readTree(dir.resolve("opentrade.yaml").toFile());
        asyncApi = new YAMLMapper().readTree(dir.resolve("opentrade-streams.asyncapi.yaml").toFile());
    }

    @Test
    void theAsyncApiChannelsAreTheStreamsOfTheOpenApiContract() {
        assertEquals(streams().keySet(), channelsByAddress().keySet());
    }

    @Test
    void eachChannelReceivesTheClientFramesAndSendsTheServerFramesOfItsStream() {
        Map<String, JsonNode> channels = channelsByAddress();
        streams().forEach((path, messages) -> {
            String channel = channelName(channels.get(path));
            Set<String> client = oneOfMembers(messages.path("client"));
            Set<String> server = oneOfMembers(messages.path("server"));
            assertTrue(!client.isEmpty() && !server.isEmpty(), path + " names its frames");
            assertEquals(client, operationPayloads(channel, "receive"), path + ": the frames the server receives");
            assertEquals(server, operationPayloads(channel, "send"), path + ": the frames the server sends");
            Set<String> all = new TreeSet<>(client);
            all.addAll(server);
            assertEquals(all, channelPayloads(channels.get(path)), path + ": the channel's messages");
        });
    }

    /** OpenAPI path → its {@code x-websocket-messages}. */
    private static Map<String, JsonNode> streams() {
        Map<String, JsonNode> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = openApi.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode messages = e.getValue().path("get").path("x-websocket-messages");
            if (!messages.isMissingNode()) {
                out.put(e.getKey(), messages);
            }
        }
        return out;
    }

    private static Map<String, JsonNode> channelsByAddress() {
        Map<String, JsonNode> out = new TreeMap<>();
        asyncApi.path("channels").forEach(c -> out.put(c.path("address").asText(), c));
        return out;
    }

    private static String channelName(JsonNode channel) {
        for (Iterator<Map.Entry<String, JsonNode>> it = asyncApi.path("channels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue() == channel) {
                return e.getKey();
            }
        }
        throw new AssertionError("no channel " + channel);
    }

    /** The schema names of the {@code oneOf} a {@code {$ref}} to opentrade.yaml's components names. */
    private static Set<String> oneOfMembers(JsonNode ref) {
        JsonNode schema = openApi.path("components").path("schemas").path(lastSegment(ref.path("$ref").asText()));
        Set<String> out = new TreeSet<>();
        schema.path("oneOf").forEach(m -> out.add(lastSegment(m.path("$ref").asText())));
        return out;
    }

    /** The opentrade.yaml schemas of the payloads of {@code channel}'s operations with {@code action}. */
    private static Set<String> operationPayloads(String channel, String action) {
        Set<String> out = new TreeSet<>();
        for (JsonNode op : asyncApi.path("operations")) {
            if (op.path("action").asText().equals(action)
                    && op.path("channel").path("$ref").asText().equals("#/channels/" + channel)) {
                for (JsonNode m : op.path("messages")) {
                    // #/channels/<channel>/messages/<key>
                    String key = lastSegment(m.path("$ref").asText());
                    out.add(payload(asyncApi.path("channels").path(channel).path("messages").path(key)));
                }
            }
        }
        return out;
    }

    private static Set<String> channelPayloads(JsonNode channel) {
        Set<String> out = new TreeSet<>();
        channel.path("messages").forEach(m -> out.add(payload(m)));
        return out;
    }

    /** A channel message ({@code $ref} to components/messages) → the opentrade.yaml schema of its payload. */
    private static String payload(JsonNode channelMessage) {
        JsonNode message = asyncApi.path("components").path("messages")
                .path(lastSegment(channelMessage.path("$ref").asText()));
        String ref = message.path("payload").path("$ref").asText();
        assertTrue(ref.startsWith(PAYLOAD_PREFIX), "a payload points into opentrade.yaml, not a copy: " + message);
        String name = ref.substring(PAYLOAD_PREFIX.length());
        assertTrue(openApi.path("components").path("schemas").has(name), "opentrade.yaml has " + name);
        return name;
    }

    private static String lastSegment(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
