package app.confab.linkpreview;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.2 (a loopback address the link preview tests allow one at a time)
 * serving pages with Open Graph tags, redirects, a non-HTML body, an oversized page and a slow one.
 */
public final class OpenGraphServer implements AutoCloseable {

    public static final String ADDRESS = "127.0.0.2";

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public OpenGraphServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(ADDRESS, 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String pathAndQuery) {
        return "http://" + ADDRESS + ":" + port() + pathAndQuery;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Paths with query of every request received, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestURI().toString());
        try (exchange) {
            switch (path) {
                case "/page" -> html(exchange, """
                        <html><head><title>Fallback title</title>
                        <meta property="og:title" content="Confab &amp; friends">
                        <meta property="og:description" content="A preview, with &lt;b&gt; kept as text">
                        <meta property="og:image" content="/cover.png">
                        <meta property="og:site_name" content="Test site">
                        </head><body>Hello</body></html>""");
                case "/plain-title" -> html(exchange, "<html><head><title>Only a title</title></head></html>");
                case "/to-page" -> redirect(exchange, "/page");
                case "/to-loopback" -> redirect(exchange, "http://127.0.0.1:" + port() + "/page");
                case "/to-metadata" -> redirect(exchange, "http://169.254.169.254/latest/meta-data/");
                case "/to-private" -> redirect(exchange, "http://10.0.0.1/");
                case "/to-ipv6-loopback" -> redirect(exchange, "http://[::1]:" + port() + "/page");
                case "/json" -> {
                    byte[] body = "{\"og:title\":\"no\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
                case "/huge" -> {
                    // The Open Graph tag comes after 600 KB: past the 512 KB the fetcher reads.
                    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream out = exchange.getResponseBody();
                    out.write("<html><head>".getBytes(StandardCharsets.UTF_8));
                    byte[] padding = "<!-- padding padding padding padding padding padding -->\n"
                            .getBytes(StandardCharsets.UTF_8);
                    for (int written = 0; written < 600 * 1024; written += padding.length) {
                        out.write(padding);
                    }
                    out.write("<meta property=\"og:title\" content=\"Too far\"></head></html>"
                            .getBytes(StandardCharsets.UTF_8));
                }
                case "/slow" -> {
                    // Headers at once, then a byte now and then: only the total deadline ends it.
                    exchange.getResponseHeaders().set("Content-Type", "text/html");
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream out = exchange.getResponseBody();
                    out.write("<html><head><meta property=\"og:title\" content=\"slow\">".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    for (int i = 0; i < 120; i++) {
                        Thread.sleep(250);
                        out.write(' ');
                        out.flush();
                    }
                }
                default -> {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (aborted a slow or huge body): expected
        }
    }

    private static void html(HttpExchange exchange, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
