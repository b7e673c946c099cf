import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The containers' health check: {@code GET <url>}, exit status 0 on 200 and 1 on anything else (another
 * status, a refused connection, a timeout). The service images carry no shell, curl or wget, so
 * docker-compose.yml and the Kubernetes probes run this with the image's own Java runtime:
 *
 * <pre>java -cp /opt/opentrade/probe HttpProbe http://127.0.0.1:8080/ready</pre>
 *
 * <p>Built into the base image by scripts/build-base-image.sh (java.base only: it starts and answers in
 * about 0.2 s). The one line it prints is what Docker keeps as the check's output.
 */
public final class HttpProbe {
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int READ_TIMEOUT_MS = 3_000;

    private HttpProbe() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.out.println("usage: java -cp /opt/opentrade/probe HttpProbe <http-url>");
            System.exit(2);
        }
        int status;
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(args[0]).toURL().openConnection();
            c.setConnectTimeout(CONNECT_TIMEOUT_MS);
            c.setReadTimeout(READ_TIMEOUT_MS);
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            status = c.getResponseCode();
            c.disconnect();
        } catch (Exception e) {
            System.out.println(args[0] + " unreachable: " + e);
            System.exit(1);
            return;
        }
        System.out.println(args[0] + " " + status);
        System.exit(status == 200 ? 0 : 1);
    }
}
