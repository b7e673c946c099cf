package org.opentrade.bench.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.transport.Transport;
import java.util.concurrent.TimeUnit;
import org.opentrade.common.net.NetTransport;

/**
 * Reference row of the gateway benchmark, not a product: the cheapest reverse proxy Vert.x makes —
 * one event loop (like {@code GatewayMain}) on the same transport as the gateway's default ({@code --transport auto}:
 * io_uring where the kernel allows it, else epoll, else NIO), one HTTP server, one keep-alive client pool of 64
 * connections, the request forwarded as is and the answer's status, content type and body copied
 * back. No router, no auth, no limits, no metering, no tracing. Direct → this → gateway separates
 * what the extra hop costs on this machine from what the gateway's own work costs.
 *
 * <p>{@code java -cp benchmarks.jar org.opentrade.bench.gateway.TrivialProxy --port 18082 --target 127.0.0.1:18081}
 */
public final class TrivialProxy {
    private TrivialProxy() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 18082;
        String target = "127.0.0.1:18081";
        NetTransport transport = NetTransport.AUTO;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--target" -> target = args[++i];
                case "--transport" -> transport = NetTransport.valueOf(args[++i].toUpperCase(java.util.Locale.ROOT));
                default -> {
                    System.err.println("usage: TrivialProxy --port N --target host:port [--host H] [--transport auto|io_uring|epoll|nio]");
                    System.exit(2);
                }
            }
        }
        String upHost = target.substring(0, target.lastIndexOf(':'));
        int upPort = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
        Transport chosen = transport.resolve();
        Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(1)).withTransport(chosen).build();
        HttpClientAgent client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(64));
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                .requestHandler(req -> {
                    req.pause();
                    client.request(new RequestOptions().setMethod(req.method()).setHost(upHost).setPort(upPort)
                                    .setURI(req.uri()))
                            .compose(up -> up.send(req))
                            .onComplete(ar -> {
                                if (ar.failed()) {
                                    req.response().setStatusCode(502).end();
                                    return;
                                }
                                var upResp = ar.result();
                                var resp = req.response().setStatusCode(upResp.statusCode());
                                String type = upResp.getHeader("Content-Type");
                                if (type != null) {
                                    resp.putHeader("Content-Type", type);
                                }
                                upResp.body().onComplete(b -> {
                                    if (b.succeeded()) {
                                        resp.end(b.result());
                                    } else {
                                        resp.reset();
                                    }
                                });
                            });
                })
                .listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("trivial proxy listening on " + host + ":" + port + " -> " + target + " (" + chosen.name()
                + " transport)");
    }
}
