package app.confab.notification;

import java.util.Base64;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

import app.confab.platform.ApiException;
import app.confab.platform.AuthenticatedUser;

/** Notification preferences, Web Push subscriptions and the email unsubscribe link (docs/subsystems/notifications.md). */
@RestController
class NotificationController {

    private final NotificationPreferencesService preferences;
    private final NotificationRepository repository;
    private final VapidKeys vapid;
    private final PushSender pushSender;
    private final UnsubscribeTokens unsubscribeTokens;

    NotificationController(NotificationPreferencesService preferences, NotificationRepository repository,
                           VapidKeys vapid, PushSender pushSender, UnsubscribeTokens unsubscribeTokens) {
        this.preferences = preferences;
        this.repository = repository;
        this.vapid = vapid;
        this.pushSender = pushSender;
        this.unsubscribeTokens = unsubscribeTokens;
    }

    record PreferencesResponse(NotificationPreferences notifications) {
    }

    record ChatLevelResponse(UUID chatId, String level, boolean muted) {
    }

    record VapidKeyResponse(String publicKey) {
    }

    record SubscriptionKeys(String p256dh, String auth) {
    }

    record SubscriptionRequest(String endpoint, SubscriptionKeys keys) {
    }

    record SubscriptionResponse(UUID id, String endpoint) {
    }

    @GetMapping("/api/users/me/notifications")
    PreferencesResponse get(AuthenticatedUser caller) {
        return new PreferencesResponse(preferences.get(caller.userId()));
    }

    @PutMapping("/api/users/me/notifications")
    PreferencesResponse put(AuthenticatedUser caller, @RequestBody NotificationPreferences.Update update) {
        return new PreferencesResponse(preferences.update(caller.userId(), update));
    }

    @PutMapping("/api/chats/{chatId}/notifications")
    ChatLevelResponse putChat(AuthenticatedUser caller, @PathVariable UUID chatId,
                              @RequestBody NotificationPreferences.ChatLevel body) {
        String level = preferences.setChatLevel(caller.userId(), chatId, body);
        return new ChatLevelResponse(chatId, level, "nothing".equals(level));
    }

    @GetMapping("/api/push/vapid-public-key")
    VapidKeyResponse vapidKey(AuthenticatedUser caller) {
        return new VapidKeyResponse(vapid.publicKey());
    }

    @PostMapping("/api/push/subscriptions")
    @ResponseStatus(HttpStatus.CREATED)
    SubscriptionResponse subscribe(AuthenticatedUser caller, @RequestBody SubscriptionRequest request) {
        if (request == null || request.endpoint() == null || request.endpoint().length() > 2000) {
            throw ApiException.validation("endpoint", "An https endpoint of at most 2000 characters is required");
        }
        PushSender.checkEndpoint(request.endpoint(), pushSender.allowPrivate());
        SubscriptionKeys keys = request.keys();
        if (keys == null || !base64Url(keys.p256dh(), 65) || !base64Url(keys.auth(), 16)) {
            throw ApiException.validation("keys", "keys.p256dh (65 bytes) and keys.auth (16 bytes) must be base64url");
        }
        UUID id = repository.upsertSubscription(caller.userId(), request.endpoint(), keys.p256dh(), keys.auth());
        return new SubscriptionResponse(id, request.endpoint());
    }

    /** Body {@code {"endpoint"}}: that device's subscription of the caller goes away (204 whether or not it existed). */
    @DeleteMapping("/api/push/subscriptions")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unsubscribe(AuthenticatedUser caller, @RequestBody SubscriptionRequest request) {
        if (request == null || request.endpoint() == null || request.endpoint().isBlank()) {
            throw ApiException.validation("endpoint", "The subscription's endpoint is required");
        }
        repository.deleteSubscription(caller.userId(), request.endpoint());
    }

    /** The confirmation page behind an email's unsubscribe link (a GET changes nothing: mail scanners follow links). */
    @GetMapping(value = "/api/notifications/unsubscribe", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> unsubscribePage(@RequestParam(name = "token", required = false) String token) {
        if (unsubscribeTokens.verify(token).isEmpty()) {
            throw ApiException.validation("token", "This unsubscribe link is not valid");
        }
        String safe = HtmlUtils.htmlEscape(token);
        return html("<h1>Stop email notifications?</h1><form method=\"post\" action=\"/api/notifications/unsubscribe?token="
                + safe + "\"><button type=\"submit\">Unsubscribe</button></form>");
    }

    /** One-click unsubscribe (RFC 8058 List-Unsubscribe-Post), also the page's button. */
    @PostMapping(value = "/api/notifications/unsubscribe", consumes = MediaType.ALL_VALUE, produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> unsubscribe(@RequestParam(name = "token", required = false) String token) {
        UUID userId = unsubscribeTokens.verify(token)
                .orElseThrow(() -> ApiException.validation("token", "This unsubscribe link is not valid"));
        preferences.unsubscribeEmail(userId);
        return html("<h1>Unsubscribed</h1><p>You will get no more email notifications. You can turn them on again in Confab's settings.</p>");
    }

    private static ResponseEntity<String> html(String body) {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML)
                .body("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Confab</title><body>" + body
                        + "</body></html>");
    }

    private static boolean base64Url(String value, int bytes) {
        if (value == null || value.length() > 200) {
            return false;
        }
        try {
            return Base64.getUrlDecoder().decode(value).length == bytes;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
