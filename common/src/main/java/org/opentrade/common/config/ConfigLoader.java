package org.opentrade.common.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads one service's YAML configuration: the commented default on the classpath, then (when the
 * named system property or environment variable gives a file path) that file merged over it key by
 * key, then {@code ${ENV_NAME:default}} expanded in every string value.
 *
 * <p>So an operator can override one key in a small file, or one value with an environment
 * variable, and never has to copy the whole default file. Missing or unreadable files fail with a
 * {@link ConfigException}.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Function<String, String> env;
    private final Function<String, String> properties;

    private ConfigLoader(Function<String, String> env, Function<String, String> properties) {
        this.env = env;
        this.properties = properties;
    }

    /** Reads the process environment and system properties. */
    public static ConfigLoader fromSystem() {
        return new ConfigLoader(System::getenv, System::getProperty);
    }

    /** Reads the given maps instead of the process (tests, embedding several services in one JVM). */
    public static ConfigLoader of(Map<String, String> env, Map<String, String> properties) {
        return new ConfigLoader(env::get, properties::get);
    }

    /**
     * Loads {@code resource} from the classpath, merged with the file named by system property
     * {@code overrideProperty} or else environment variable {@code overrideEnv} (either may be null).
     */
    public Config load(String resource, String overrideProperty, String overrideEnv) {
        JsonNode base = parse(readResource(resource), "classpath:" + resource);
        String origin = "classpath:" + resource;
        String overridePath = overrideProperty == null ? null : properties.apply(overrideProperty);
        String source = overrideProperty;
        if ((overridePath == null || overridePath.isBlank()) && overrideEnv != null) {
            overridePath = env.apply(overrideEnv);
            source = overrideEnv;
        }
        if (overridePath != null && !overridePath.isBlank()) {
            Path p = Path.of(overridePath.strip());
            String text;
            try {
                text = Files.readString(p, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new ConfigException(source + " names config file " + p.toAbsolutePath()
                        + " which does not exist");
            } catch (IOException e) {
                throw new ConfigException(source + " names config file " + p.toAbsolutePath()
                        + " which cannot be read: " + e.getMessage(), e);
            }
            base = merge(base, parse(text, p.toString()));
            origin = origin + " + " + p;
        }
        return build(base, origin);
    }

    /** Parses YAML text directly (tests, or a service that builds its config text itself). */
    public Config fromText(String yaml, String origin) {
        return build(parse(yaml, origin), origin);
    }

    private Config build(JsonNode tree, String origin) {
        JsonNode root = tree == null || tree.isMissingNode() || tree.isNull()
                ? JsonNodeFactory.instance.objectNode() : tree;
        if (!root.isObject()) {
            throw new ConfigException(origin + ": the top level must be a mapping of keys");
        }
        expand(root, "", new EnvSubstitution(env));
        return new Config(root, "", origin, new HashSet<>());
    }

    private static JsonNode parse(String yaml, String origin) {
        try {
            JsonNode n = YAML.readTree(yaml);
            return n == null ? JsonNodeFactory.instance.objectNode() : n;
        } catch (JsonProcessingException e) {
            throw new ConfigException(origin + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
        }
    }

    private static String readResource(String resource) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = ConfigLoader.class.getClassLoader();
        }
        try (InputStream in = cl.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException("default config resource '" + resource + "' is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("default config resource '" + resource + "' cannot be read", e);
        }
    }

    /** Overlays {@code top} on {@code base}: mappings merge key by key, anything else replaces. */
    static JsonNode merge(JsonNode base, JsonNode top) {
        if (top == null || top.isMissingNode()) {
            return base;
        }
        if (!(base instanceof ObjectNode b) || !top.isObject()) {
            return top;
        }
        ObjectNode out = b.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> it = top.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = out.get(e.getKey());
            out.set(e.getKey(), existing == null ? e.getValue() : merge(existing, e.getValue()));
        }
        return out;
    }

    private static void expand(JsonNode node, String path, EnvSubstitution subst) {
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (e.getValue().isTextual()) {
                    e.setValue(TextNode.valueOf(subst.expand(p, e.getValue().asText())));
                } else {
                    expand(e.getValue(), p, subst);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode child = node.get(i);
                if (child.isTextual()) {
                    ((ArrayNode) node)
                            .set(i, TextNode.valueOf(subst.expand(path + "[" + i + "]", child.asText())));
                } else {
                    expand(child, path + "[" + i + "]", subst);
                }
            }
        }
    }
}
