package org.opentrade.common.config;

import java.util.function.Function;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:default}} inside a config value from an environment
 * lookup. {@code $$} stands for a literal {@code $}. An unset variable without a default fails
 * with the key that asked for it.
 */
final class EnvSubstitution {
    private final Function<String, String> env;

    EnvSubstitution(Function<String, String> env) {
        this.env = env;
    }

    String expand(String key, String value) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '{') {
                int end = value.indexOf('}', i + 2);
                if (end < 0) {
                    throw new ConfigException("config key '" + key + "': unclosed '${' in '" + value + "'");
                }
                out.append(resolve(key, value.substring(i + 2, end)));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String resolve(String key, String expression) {
        int colon = expression.indexOf(':');
        String name = (colon < 0 ? expression : expression.substring(0, colon)).strip();
        if (name.isEmpty()) {
            throw new ConfigException("config key '" + key + "': empty variable name in '${" + expression + "}'");
        }
        String v = env.apply(name);
        if (v != null) {
            return v;
        }
        if (colon < 0) {
            throw new ConfigException("config key '" + key + "': environment variable " + name
                    + " is not set and '${" + expression + "}' gives no default (write ${" + name + ":default})");
        }
        return expression.substring(colon + 1);
    }
}
