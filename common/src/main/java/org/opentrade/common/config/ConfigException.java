package org.opentrade.common.config;

/**
 * A configuration value is missing, unreadable or out of range. Thrown once at start-up; the
 * message names the key, the value found and what is allowed, so the operator can fix the file
 * without reading code.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
