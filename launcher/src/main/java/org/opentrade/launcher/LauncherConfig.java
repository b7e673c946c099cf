package org.opentrade.launcher;

import org.opentrade.common.config.Config;
import org.opentrade.common.config.ConfigLoader;

/**
 * The all-in-one's own settings, from {@value #RESOURCE}; validated once at start-up.
 *
 * @param httpHost interface the HTTP server binds; 127.0.0.1 (the default) only this machine, 0.0.0.0 all
 * @param httpPort port of the HTTP server; 0 picks a free one
 * @param fixEnabled whether trade-api's FIX 4.4 acceptor runs (default true in the all-in-one)
 * @param fixHost  interface the FIX acceptor binds
 * @param fixPort  port of the FIX acceptor (9878); 0 picks a free one
 */
public record LauncherConfig(String httpHost, int httpPort, boolean fixEnabled, String fixHost, int fixPort) {
    public static final String RESOURCE = "launcher.yaml";
    public static final String OVERRIDE_PROPERTY = "opentrade.launcher.config";
    public static final String OVERRIDE_ENV = "OPENTRADE_LAUNCHER_CONFIG";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_FIX_PORT = 9878;

    /** HTTP only, FIX on its default port. */
    public LauncherConfig(String httpHost, int httpPort) {
        this(httpHost, httpPort, true, DEFAULT_HOST, DEFAULT_FIX_PORT);
    }

    public static LauncherConfig load(ConfigLoader loader) {
        Config root = loader.load(RESOURCE, OVERRIDE_PROPERTY, OVERRIDE_ENV);
        Config http = root.section("http");
        Config fix = root.section("fix");
        LauncherConfig c = new LauncherConfig(http.string("host", DEFAULT_HOST),
                http.intValue("port", DEFAULT_PORT, 0, 65_535), fix.bool("enabled", true),
                fix.string("host", DEFAULT_HOST), fix.intValue("port", DEFAULT_FIX_PORT, 0, 65_535));
        root.rejectUnknownKeys();
        return c;
    }
}
