package org.opentrade.common.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code Allow} header of a 405 (RFC 9110 §15.5.6, the error model's rule in docs/contracts.md), read from the
 * router, so the answer follows whatever is mounted: the gateway's and market-api's routers use it alike. Routes
 * for every method (filters, body handlers) and regular-expression routes are not counted. Walks all routes: a 405
 * is rare, and this keeps the routes the one record of what a path supports.
 */
public final class AllowedMethods {
    private AllowedMethods() {
    }

    /** The methods of the routes of {@code router} whose path template matches {@code path}, as {@code Allow} lists them. */
    public static String of(Router router, String path) {
        Set<String> methods = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            Set<HttpMethod> ms = route.methods();
            String template = route.getPath();
            if (template != null && ms != null && !ms.isEmpty() && templateMatches(template, path)) {
                ms.forEach(m -> methods.add(m.name()));
            }
        }
        return String.join(", ", methods);
    }

    /** Whether {@code path} fits {@code template}: literal segments equal, {@code :name} any non-empty one. */
    public static boolean templateMatches(String template, String path) {
        if (path == null) {
            return false;
        }
        if (template.endsWith("*")) {
            return path.startsWith(template.substring(0, template.length() - 1));
        }
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith(":") ? p[i].isEmpty() : !t[i].equals(p[i])) {
                return false;
            }
        }
        return true;
    }
}
