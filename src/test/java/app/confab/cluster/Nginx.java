package app.confab.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * The real nginx (Debian's package) running deploy/nginx.conf itself, with only what differs on a
 * test machine replaced: the upstream servers, the listen ports, the certificate and log paths.
 * Runs in the foreground ({@code daemon off}) as a child process with its own prefix directory.
 */
final class Nginx implements AutoCloseable {

    private final Process process;
    private final int httpsPort;
    private final Path accessLog;
    private final Path errorLog;

    private Nginx(Process process, int httpsPort, Path accessLog, Path errorLog) {
        this.process = process;
        this.httpsPort = httpsPort;
        this.accessLog = accessLog;
        this.errorLog = errorLog;
    }

    /** The nginx binary, or null when nginx is not installed. */
    static Path binary() {
        Stream<Path> candidates = Stream.concat(Stream.of(Path.of("/usr/sbin/nginx")),
                Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(dir -> !dir.isBlank())
                        .map(dir -> Path.of(dir, "nginx")));
        return candidates.filter(Files::isExecutable).findFirst().orElse(null);
    }

    static Nginx start(Path deployConfig, List<Integer> upstreamPorts, int httpPort, int httpsPort,
                       TestCertificate certificate, Path dir) throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            Path tempDir = Files.createDirectories(dir.resolve("temp").resolve(temp));
            // Workers run as an unprivileged user when nginx starts as root.
            Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.setPosixFilePermissions(tempDir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        String config = Files.readString(deployConfig);
        config = pointUpstreamsAt(config, upstreamPorts);
        config = replaceOnce(config, "listen 80;", "listen 127.0.0.1:" + httpPort + ";");
        config = replaceOnce(config, "listen 443 ssl;", "listen 127.0.0.1:" + httpsPort + " ssl;");
        config = replaceOnce(config, "/etc/nginx/certs/fullchain.pem", certificate.certificatePem().toString());
        config = replaceOnce(config, "/etc/nginx/certs/privkey.pem", certificate.privateKeyPem().toString());
        config = config.replace("/var/log/nginx/", dir + "/");
        String temps = Stream.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
                .map(temp -> "    " + temp + "_temp_path " + dir.resolve("temp").resolve(temp) + ";")
                .collect(Collectors.joining("\n"));
        config = replaceOnce(config, "http {\n", "http {\n" + temps + "\n");
        Path configFile = dir.resolve("nginx.conf");
        Files.writeString(configFile, config);

        Path binary = binary();
        Process process = new ProcessBuilder(binary.toString(), "-p", dir + "/", "-c", configFile.toString(),
                "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
        Nginx nginx = new Nginx(process, httpsPort, dir.resolve("access.log"), dir.resolve("error.log"));
        nginx.awaitListening(Duration.ofSeconds(20), dir);
        return nginx;
    }

    /**
     * Each upstream block's compose servers (confab1:8080, ...) become the test's nodes, with the
     * block's own parameters (the plain and the WebSocket upstreams differ in failure accounting).
     */
    static String pointUpstreamsAt(String config, List<Integer> upstreamPorts) {
        // One match per upstream block: its first server line (whose parameters group 1 holds) and the rest.
        Matcher block = Pattern.compile("(?m)^\\s*server confab\\d+:8080([^;]*);\\n(?:\\s*server confab\\d+:8080[^;]*;\\n)*")
                .matcher(config);
        StringBuilder out = new StringBuilder();
        int blocks = 0;
        while (block.find()) {
            String parameters = block.group(1);
            String servers = upstreamPorts.stream()
                    .map(port -> "        server 127.0.0.1:" + port + parameters + ";\n")
                    .collect(Collectors.joining());
            block.appendReplacement(out, Matcher.quoteReplacement(servers));
            blocks++;
        }
        if (blocks == 0) {
            throw new IllegalStateException("deploy/nginx.conf no longer lists servers confabN:8080: update Nginx.java");
        }
        block.appendTail(out);
        return out.toString();
    }

    private static String replaceOnce(String text, String target, String replacement) {
        boolean regex = target.startsWith("(?m)");
        Matcher matcher = Pattern.compile(regex ? target : Pattern.quote(target)).matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("deploy/nginx.conf no longer contains " + target + ": update Nginx.java");
        }
        return text.substring(0, matcher.start()) + replacement + text.substring(matcher.end());
    }

    private void awaitListening(Duration timeout, Path dir) {
        await("nginx listening on " + httpsPort).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            // Thrown, not retried: a dead nginx never listens.
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited: " + Files.readString(dir.resolve("nginx.out")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", httpsPort), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    String baseUrl() {
        return "https://localhost:" + httpsPort;
    }

    List<String> accessLogLines() throws IOException {
        return Files.exists(accessLog) ? Files.readAllLines(accessLog) : List.of();
    }

    /**
     * The upstream (127.0.0.1:port) that served the request nginx logged with this request id.
     * nginx writes the line just after the response, so it may take a moment to appear.
     */
    String upstreamOf(String requestId) {
        try {
            return await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> loggedUpstream(requestId), java.util.Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            return null; // never logged: the caller's assertion says what was expected
        }
    }

    private String loggedUpstream(String requestId) throws IOException {
        for (String line : accessLogLines()) {
            if (line.contains("rid=" + requestId)) {
                Matcher upstream = Pattern.compile("upstream=(.*?) urt=").matcher(line);
                if (upstream.find()) {
                    String value = upstream.group(1);
                    // "a, b" when nginx tried several: the last one answered.
                    return value.substring(value.lastIndexOf(' ') + 1);
                }
            }
        }
        return null;
    }

    String errorLog() throws IOException {
        return Files.exists(errorLog) ? Files.readString(errorLog) : "";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
