package app.confab.linkpreview;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import app.confab.protocol.MessageView;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fetcher against a real local HTTP server. One filter allows exactly the test server's
 * address (127.0.0.2); the real {@link PublicAddressFilter} refuses it, like every other loopback,
 * private, link-local and mapped address, before any connection is made.
 */
class LinkPreviewFetcherTest {

    private static OpenGraphServer server;
    private static LinkPreviewFetcher onlyTestServer;
    private static LinkPreviewFetcher production;

    @BeforeAll
    static void start() throws Exception {
        server = new OpenGraphServer();
        onlyTestServer = new LinkPreviewFetcher(address -> address.getHostAddress().equals(OpenGraphServer.ADDRESS),
                Duration.ofSeconds(2));
        production = new LinkPreviewFetcher(new PublicAddressFilter());
    }

    @AfterAll
    static void stop() throws Exception {
        onlyTestServer.close();
        production.close();
        server.close();
    }

    @Test
    void readsOpenGraphTagsAsPlainText() {
        MessageView.LinkPreview preview = onlyTestServer.fetch(server.url("/page")).orElseThrow();
        assertThat(preview.url()).isEqualTo(server.url("/page"));
        assertThat(preview.title()).isEqualTo("Confab & friends");
        assertThat(preview.description()).isEqualTo("A preview, with <b> kept as text");
        assertThat(preview.imageUrl()).isEqualTo(server.url("/cover.png"));
        assertThat(preview.siteName()).isEqualTo("Test site");
        assertThat(onlyTestServer.fetch(server.url("/plain-title")).orElseThrow().title()).isEqualTo("Only a title");
    }

    @Test
    void followsRedirectsOnlyToAllowedAddresses() {
        assertThat(onlyTestServer.fetch(server.url("/to-page")).map(MessageView.LinkPreview::title))
                .contains("Confab & friends");
        int before = server.requests().size();
        assertThat(onlyTestServer.fetch(server.url("/to-loopback"))).isEmpty();
        assertThat(onlyTestServer.fetch(server.url("/to-ipv6-loopback"))).isEmpty();
        assertThat(onlyTestServer.fetch(server.url("/to-metadata"))).isEmpty();
        assertThat(onlyTestServer.fetch(server.url("/to-private"))).isEmpty();
        // Each redirect reached the server once; none of the targets was ever requested.
        assertThat(server.requests().subList(before, server.requests().size()))
                .containsExactly("/to-loopback", "/to-ipv6-loopback", "/to-metadata", "/to-private");
    }

    @Test
    void onlyHtmlOnlyTheFirst512KilobytesAndOnlyWithinTheDeadline() {
        assertThat(onlyTestServer.fetch(server.url("/json"))).isEmpty();
        assertThat(onlyTestServer.fetch(server.url("/huge"))).isEmpty();
        Optional<MessageView.LinkPreview> slow = onlyTestServer.fetch(server.url("/slow"));
        assertThat(slow).as("a body still trickling at the deadline gives no preview").isEmpty();
        assertThat(onlyTestServer.fetch("ftp://" + OpenGraphServer.ADDRESS + "/x")).isEmpty();
        assertThat(onlyTestServer.fetch("http://user:pw@" + OpenGraphServer.ADDRESS + ":" + server.port() + "/page"))
                .isEmpty();
    }

    @Test
    void theRealFilterRefusesTheLocalServerBeforeConnecting() {
        int before = server.requests().size();
        assertThat(production.fetch(server.url("/page"))).isEmpty();
        assertThat(production.fetch("http://127.0.0.1:" + server.port() + "/page")).isEmpty();
        assertThat(production.fetch("http://localhost:" + server.port() + "/page")).isEmpty();
        assertThat(production.fetch("http://[::1]:" + server.port() + "/page")).isEmpty();
        assertThat(production.fetch("http://[::ffff:127.0.0.2]:" + server.port() + "/page")).isEmpty();
        assertThat(server.requests()).hasSize(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255",
            "192.168.1.1", "169.254.169.254", "100.64.0.1", "224.0.0.1", "255.255.255.255", "198.18.0.1",
            "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
            "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1", "2001:db8::1"})
    void refusesNonPublicAddresses(String literal) throws Exception {
        assertThat(new PublicAddressFilter().allows(InetAddress.getByName(literal))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "1.1.1.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:1.1.1.1"})
    void allowsPublicAddresses(String literal) throws Exception {
        assertThat(new PublicAddressFilter().allows(InetAddress.getByName(literal))).isTrue();
    }

    @Test
    void findsTheFirstLinkInStoredText() {
        assertThat(LinkPreviewService.firstLink("see https://example.com/a?b=1&amp;c=2. and http://other"))
                .contains("https://example.com/a?b=1&c=2");
        assertThat(LinkPreviewService.firstLink("[docs](https://example.com/docs)")).contains("https://example.com/docs");
        assertThat(LinkPreviewService.firstLink("no link here")).isEmpty();
        assertThat(LinkPreviewService.firstLink("&lt;https://example.com/x&gt;")).contains("https://example.com/x");
    }
}
