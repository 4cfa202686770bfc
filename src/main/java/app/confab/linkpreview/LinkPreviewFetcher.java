package app.confab.linkpreview;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import app.confab.protocol.MessageView;

/**
 * Fetches the Open Graph data of one URL with SSRF protection (docs/subsystems/chats-messages.md,
 * "Link previews"). Every host name is resolved once, by the client's {@link DnsResolver}, and the
 * connection goes to the address that was checked; a name with any refused address is refused as a
 * whole. Redirects are followed by hand (at most {@value #MAX_REDIRECTS}), each target checked the
 * same way. The whole fetch, redirects included, gets {@link #TOTAL} and at most {@value #MAX_BODY}
 * bytes of {@code text/html}; anything else gives no preview.
 */
public final class LinkPreviewFetcher implements AutoCloseable {

    static final Duration TOTAL = Duration.ofSeconds(5);
    static final int MAX_BODY = 512 * 1024;
    static final int MAX_REDIRECTS = 3;
    private static final int MAX_TITLE = 300;
    private static final int MAX_DESCRIPTION = 500;
    private static final int MAX_URL = 2000;

    /** Thrown when a host resolves to an address the filter refuses (no connection was made). */
    static final class RefusedAddressException extends UnknownHostException {
        RefusedAddressException(String host) {
            super("Refused address for " + host);
        }
    }

    private final AddressFilter filter;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;
    private final Duration total;

    public LinkPreviewFetcher(AddressFilter filter) {
        this(filter, TOTAL);
    }

    LinkPreviewFetcher(AddressFilter filter, Duration total) {
        this.filter = filter;
        this.total = total;
        DnsResolver checked = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return new InetAddress[] {checkedAddress(host)};
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return checkedAddress(host).getHostAddress();
            }
        };
        Timeout timeout = Timeout.of(total);
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(checked)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .setMaxConnTotal(16).setMaxConnPerRoute(2)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(false)
                        .setResponseTimeout(timeout).build())
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAutomaticRetries()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent("ConfabLinkPreview/1.0 (+https://github.com/confab)")
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("link-preview-deadline").factory());
    }

    /** One DNS lookup; every address it gives must pass the filter, and the first is used. */
    InetAddress checkedAddress(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all = InetAddress.getAllByName(bare);
        for (InetAddress address : all) {
            if (!filter.allows(address)) {
                throw new RefusedAddressException(host);
            }
        }
        return all[0];
    }

    /** The preview of {@code url}, or empty when it is refused, fails, is too slow or has no Open Graph data. */
    public Optional<MessageView.LinkPreview> fetch(String url) {
        long deadline = System.nanoTime() + total.toNanos();
        URI target;
        try {
            target = allowedUri(url);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        for (int hop = 0; hop <= MAX_REDIRECTS && target != null; hop++) {
            HttpGet get = new HttpGet(target);
            get.setHeader("Accept", "text/html");
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            // The deadline covers slow bodies too: past it the request is aborted mid-read.
            ScheduledFuture<?> abort = deadlines.schedule(get::cancel, left, TimeUnit.NANOSECONDS);
            try {
                URI current = target;
                Step step = client.execute(get, response -> {
                    int status = response.getCode();
                    if (status >= 300 && status < 400) {
                        Header location = response.getFirstHeader("Location");
                        return location == null ? Step.NONE : Step.redirect(current.resolve(location.getValue().strip()));
                    }
                    HttpEntity entity = response.getEntity();
                    if (status != 200 || entity == null) {
                        return Step.NONE;
                    }
                    ContentType type = contentType(entity.getContentType());
                    if (type == null || !"text/html".equalsIgnoreCase(type.getMimeType())) {
                        return Step.NONE;
                    }
                    byte[] body = readAtMost(entity.getContent(), MAX_BODY, deadline);
                    Charset charset = type.getCharset();
                    return Step.page(parse(body, charset, current.toString()));
                });
                if (step.redirect() != null) {
                    target = allowedUri(step.redirect().toString());
                    continue;
                }
                return Optional.ofNullable(step.preview());
            } catch (IOException | URISyntaxException | RuntimeException e) {
                return Optional.empty();
            } finally {
                abort.cancel(false);
            }
        }
        return Optional.empty();
    }

    private record Step(URI redirect, MessageView.LinkPreview preview) {
        static final Step NONE = new Step(null, null);

        static Step redirect(URI to) {
            return new Step(to, null);
        }

        static Step page(MessageView.LinkPreview preview) {
            return new Step(null, preview);
        }
    }

    /** http or https, a host, no user info; the address check happens when connecting. */
    static URI allowedUri(String url) throws URISyntaxException {
        URI uri = new URI(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || url.length() > MAX_URL) {
            throw new URISyntaxException(url, "Not an http(s) URL with a host");
        }
        return uri;
    }

    private static ContentType contentType(String header) {
        try {
            return header == null ? null : ContentType.parse(header);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] readAtMost(InputStream in, int max, long deadline) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while (out.size() < max && (read = in.read(buffer, 0, Math.min(buffer.length, max - out.size()))) != -1) {
                out.write(buffer, 0, read);
                if (System.nanoTime() > deadline) {
                    throw new IOException("Too slow");
                }
            }
            // A page cut at the limit is still parsed: the <head> with the Open Graph tags comes first.
            return out.toByteArray();
        }
    }

    /** Open Graph tags, falling back to the page's title and description meta tag. */
    static MessageView.LinkPreview parse(byte[] body, Charset charset, String url) throws IOException {
        Document document = Jsoup.parse(new ByteArrayInputStream(body), charset == null ? null : charset.name(), url);
        String title = first(meta(document, "og:title"), document.title());
        String description = first(meta(document, "og:description"), meta(document, "description"));
        if (title == null && description == null) {
            return null;
        }
        String image = meta(document, "og:image");
        String imageUrl = null;
        if (image != null) {
            try {
                URI resolved = new URI(url).resolve(image);
                imageUrl = allowedUri(resolved.toString()).toString();
            } catch (URISyntaxException | IllegalArgumentException e) {
                imageUrl = null;
            }
        }
        return new MessageView.LinkPreview(url, clip(title, MAX_TITLE), clip(description, MAX_DESCRIPTION), imageUrl,
                clip(meta(document, "og:site_name"), MAX_TITLE));
    }

    private static String meta(Document document, String name) {
        Element element = document.selectFirst("meta[property=" + name + "], meta[name=" + name + "]");
        if (element == null) {
            return null;
        }
        String content = element.attr("content").strip();
        return content.isEmpty() ? null : content;
    }

    private static String first(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a.strip();
        }
        return b == null || b.isBlank() ? null : b.strip();
    }

    private static String clip(String text, int max) {
        if (text == null) {
            return null;
        }
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.codePointCount(0, flat.length()) <= max ? flat
                : flat.substring(0, flat.offsetByCodePoints(0, max - 1)) + "…";
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }
}
