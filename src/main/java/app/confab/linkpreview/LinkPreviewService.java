package app.confab.linkpreview;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import app.confab.admin.SettingsService;
import app.confab.message.MessageLinkPreviews;
import app.confab.message.MessageSentListener;
import app.confab.protocol.MessageView;

/**
 * When the administrator enabled link previews ({@code linkPreviews} in /api/admin/settings), each
 * new message with an http(s) link gets the Open Graph preview of its first link: fetched on a
 * virtual thread after the send committed, stored with the message, announced as
 * {@code message:preview}. At most {@value #MAX_CONCURRENT} fetches run at once; a send that finds
 * them all busy gets no preview rather than a queue that could grow without bound.
 */
@Service
class LinkPreviewService implements MessageSentListener, DisposableBean {

    static final int MAX_CONCURRENT = 8;
    private static final Logger log = LoggerFactory.getLogger(LinkPreviewService.class);
    // Stored content is HTML-escaped, so a link ends at whitespace or an escaped quote or angle bracket.
    private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"'`]+", Pattern.CASE_INSENSITIVE);

    private final SettingsService settings;
    private final MessageLinkPreviews previews;
    private final LinkPreviewFetcher fetcher;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore slots = new Semaphore(MAX_CONCURRENT);

    LinkPreviewService(SettingsService settings, MessageLinkPreviews previews, AddressFilter filter) {
        this.settings = settings;
        this.previews = previews;
        this.fetcher = new LinkPreviewFetcher(filter);
    }

    @Override
    public void sent(MessageView message) {
        if (message.system() != null || message.content() == null || message.content().indexOf("://") < 0) {
            return;
        }
        Optional<String> link = firstLink(message.content());
        if (link.isEmpty() || !settings.current().linkPreviews() || !slots.tryAcquire()) {
            return;
        }
        executor.execute(() -> {
            try {
                fetcher.fetch(link.get()).ifPresent(preview -> previews.store(message.id(), preview));
            } catch (RuntimeException e) {
                log.warn("Link preview for message {} failed: {}", message.id(), e.toString());
            } finally {
                slots.release();
            }
        });
    }

    /** The first http(s) link of stored (escaped) content, unescaped, without trailing punctuation. */
    static Optional<String> firstLink(String escapedContent) {
        String text = escapedContent.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&#x27;", "'").replace("&amp;", "&");
        Matcher matcher = LINK.matcher(text);
        if (!matcher.find()) {
            return Optional.empty();
        }
        String url = matcher.group();
        while (!url.isEmpty() && ".,;:!?)]}*_~".indexOf(url.charAt(url.length() - 1)) >= 0) {
            url = url.substring(0, url.length() - 1);
        }
        return url.length() > "https://".length() ? Optional.of(url) : Optional.empty();
    }

    @Override
    public void destroy() throws Exception {
        executor.shutdownNow();
        fetcher.close();
    }
}
