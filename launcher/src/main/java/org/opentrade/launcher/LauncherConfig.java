package org.opentrade.launcher;

import org.opentrade.common.config.Config;
import org.opentrade.common.config.ConfigLoader;

/**
 * The all-in-one's own settings, from {@value #RESOURCE}; validated once at start-up.
 *
 * @param httpHost interface the HTTP server binds; 127.0.0.1 (the default) only this machine, 0.0.0.0 all
 * @param httpPort port of the HTTP server; 0 picks a free one
 */
public record LauncherConfig(String httpHost, int httpPort) {
    public static final String RESOURCE = "launcher.yaml";
    public static final String OVERRIDE_PROPERTY = "opentrade.launcher.config";
    public static final String OVERRIDE_ENV = "OPENTRADE_LAUNCHER_CONFIG";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public static LauncherConfig load(ConfigLoader loader) {
        Config root = loader.load(RESOURCE, OVERRIDE_PROPERTY, OVERRIDE_ENV);
        Config http = root.section("http");
        LauncherConfig c = new LauncherConfig(http.string("host", DEFAULT_HOST),
                http.intValue("port", DEFAULT_PORT, 0, 65_535));
        root.rejectUnknownKeys();
        return c;
    }
}
