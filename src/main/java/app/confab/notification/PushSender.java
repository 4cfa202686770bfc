package app.confab.notification;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.bouncycastle.jce.interfaces.ECPublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import app.confab.platform.ApiException;
import jakarta.annotation.PreDestroy;
import nl.martijndwars.webpush.AbstractPushService;
import nl.martijndwars.webpush.Encoding;
import nl.martijndwars.webpush.Notification;
import nl.martijndwars.webpush.Urgency;
import nl.martijndwars.webpush.Utils;

/**
 * Sends one encrypted Web Push message to one subscription (RFC 8030): web-push builds the
 * aes128gcm body (RFC 8291) and the VAPID Authorization header (RFC 8292); the JDK HttpClient
 * sends it, on a virtual thread, retrying 5xx and 429 with exponential backoff (honouring a short
 * Retry-After) and dropping subscriptions the push service says are gone (404, 410).
 */
@Component
class PushSender {

    private static final Logger log = LoggerFactory.getLogger(PushSender.class);
    private static final int TTL_SECONDS = 24 * 3600;
    static final int MAX_PAYLOAD = 3000;

    /** web-push's request preparation without its HTTP client. */
    private static final class Requests extends AbstractPushService<Requests> {
        Requests(java.security.KeyPair keys, String subject) {
            super(keys, subject);
        }

        nl.martijndwars.webpush.HttpRequest prepare(Notification notification) throws Exception {
            return prepareRequest(notification, Encoding.AES128GCM);
        }
    }

    /**
     * web-push puts scheme://host in the VAPID JWT's {@code aud} and drops an explicit port; RFC 8292
     * §2 wants the push resource's origin, port included (push services on a non-default port
     * refuse the token otherwise). Found by NotificationsTest's endpoint on a random port.
     */
    private static final class OriginWithPort extends Notification {
        OriginWithPort(String endpoint, ECPublicKey key, byte[] auth, byte[] payload, int ttl, Urgency urgency,
                       String topic) {
            super(endpoint, key, auth, payload, ttl, urgency, topic);
        }

        @Override
        public String getOrigin() {
            URI uri = URI.create(getEndpoint());
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        }
    }

    private final Requests requests;
    private final NotificationRepository repository;
    private final NotificationProperties properties;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
    // Settable by tests that share one server context (a push service on 127.0.0.1, short retries).
    private volatile boolean allowPrivate;
    private volatile Duration retryBase;

    PushSender(VapidKeys keys, NotificationRepository repository, NotificationProperties properties) {
        this.requests = new Requests(keys.keyPair(), properties.vapidSubject());
        this.repository = repository;
        this.properties = properties;
        this.allowPrivate = properties.allowPrivatePushEndpoints();
        this.retryBase = properties.pushRetryBase();
    }

    boolean allowPrivate() {
        return allowPrivate;
    }

    void testSettings(boolean allowPrivateEndpoints, Duration firstRetry) {
        this.allowPrivate = allowPrivateEndpoints;
        this.retryBase = firstRetry;
    }

    /** Queues the send; returns at once (the tail must not wait for push services). */
    void sendAsync(NotificationRepository.SubscriptionRow subscription, byte[] payload, String topic) {
        queued.incrementAndGet();
        executor.execute(() -> send(subscription, payload, topic));
    }

    /** Notifications handed to this sender so far. */
    long queued() {
        return queued.get();
    }

    /** The outcome, for tests and logs. */
    enum Outcome { SENT, GONE, FAILED }

    Outcome send(NotificationRepository.SubscriptionRow subscription, byte[] payload, String topic) {
        Duration delay = retryBase;
        for (int attempt = 1; attempt <= properties.pushMaxAttempts(); attempt++) {
            try {
                checkEndpoint(subscription.endpoint(), allowPrivate);
                Notification notification = new OriginWithPort(subscription.endpoint(),
                        (ECPublicKey) Utils.loadPublicKey(Base64.getUrlDecoder().decode(subscription.p256dh())),
                        Base64.getUrlDecoder().decode(subscription.auth()), payload, TTL_SECONDS, Urgency.HIGH, topic);
                var prepared = requests.prepare(notification);
                HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(prepared.getUrl()))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(prepared.getBody()));
                prepared.getHeaders().forEach((name, value) -> {
                    if (!name.equalsIgnoreCase("Content-Length")) {
                        builder.header(name, value);
                    }
                });
                HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return Outcome.SENT;
                }
                if (status == 404 || status == 410) {
                    // The browser unsubscribed or the subscription expired: it never comes back.
                    repository.deleteSubscription(subscription.id());
                    return Outcome.GONE;
                }
                if (status != 429 && status < 500) {
                    log.warn("Push service refused a notification with {} ({})", status, host(subscription.endpoint()));
                    return Outcome.FAILED;
                }
                Duration retryAfter = response.headers().firstValue("Retry-After")
                        .flatMap(PushSender::seconds).orElse(null);
                if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
                    delay = retryAfter.compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5) : retryAfter;
                }
            } catch (IOException e) {
                log.debug("Push to {} failed: {}", host(subscription.endpoint()), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.FAILED;
            } catch (ApiException e) {
                log.warn("Push endpoint {} is not allowed; dropping the subscription", host(subscription.endpoint()));
                repository.deleteSubscription(subscription.id());
                return Outcome.GONE;
            } catch (Exception e) {
                log.warn("Could not prepare a push notification: {}", e.toString());
                return Outcome.FAILED;
            }
            if (attempt < properties.pushMaxAttempts()) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Outcome.FAILED;
                }
                delay = delay.multipliedBy(2);
            }
        }
        log.warn("Gave up pushing to {} after {} attempts", host(subscription.endpoint()), properties.pushMaxAttempts());
        return Outcome.FAILED;
    }

    private static java.util.Optional<Duration> seconds(String value) {
        try {
            return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private static String host(String endpoint) {
        try {
            return URI.create(endpoint).getHost();
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    /**
     * A push endpoint is a URL a client hands us and the server then POSTs to: it must be https on
     * a public address, or it would let any user make the server call into its own network.
     */
    static void checkEndpoint(String endpoint, boolean allowPrivate) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("endpoint", "Must be an https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || allowPrivate && scheme.equals("http"))
                || uri.getRawUserInfo() != null) {
            throw ApiException.validation("endpoint", "Must be an https URL");
        }
        if (allowPrivate) {
            return;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress() || address.isMulticastAddress()
                        || (address.getAddress().length == 16 && (address.getAddress()[0] & 0xfe) == 0xfc)) {
                    throw ApiException.validation("endpoint", "Must be a public push service");
                }
            }
        } catch (UnknownHostException e) {
            throw ApiException.validation("endpoint", "Unknown host");
        }
    }

    static String topic(UUID chatId) {
        // RFC 8030 §5.4: at most 32 characters of the base64url alphabet; a chat's messages replace each other.
        return chatId.toString().replace("-", "");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

}
