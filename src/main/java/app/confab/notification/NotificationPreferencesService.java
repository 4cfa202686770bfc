package app.confab.notification;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.stream.EventStore;
import app.confab.membership.ChatAccess;
import app.confab.notification.NotificationPreferences.Channels;
import app.confab.notification.NotificationPreferences.QuietHours;
import app.confab.notification.NotificationRepository.PreferencesRow;
import app.confab.platform.ApiException;
import app.confab.platform.ApiException.FieldError;
import app.confab.protocol.Event;

/**
 * Reading and changing notification preferences. Every change is also a durable
 * {@code notifications:updated} user event, so the user's other devices follow it live.
 */
@Service
public class NotificationPreferencesService {

    static final Set<String> LEVELS = Set.of("all", "mentions", "nothing");
    static final String DEFAULT = "default";
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s<>\"]{1,64}@[^@\\s<>\"]{1,189}\\.[^@\\s<>\".]{1,63}$");
    private static final Pattern HH_MM = Pattern.compile("^([01]\\d|2[0-3]):[0-5]\\d$");

    private final NotificationRepository repository;
    private final ChatAccess access;
    private final EventStore events;
    private final TransactionTemplate transaction;

    NotificationPreferencesService(NotificationRepository repository, ChatAccess access, EventStore events,
                                   TransactionTemplate transaction) {
        this.repository = repository;
        this.access = access;
        this.events = events;
        this.transaction = transaction;
    }

    public NotificationPreferences get(UUID me) {
        return view(row(me), repository.chatLevels(me));
    }

    PreferencesRow row(UUID me) {
        return repository.preferences(me).orElse(PreferencesRow.DEFAULTS);
    }

    /** The level that applies to the user in the chat: its override, else their default. */
    String effectiveLevel(UUID me, UUID chatId) {
        return repository.chatLevel(me, chatId).orElseGet(() -> row(me).defaultLevel());
    }

    public NotificationPreferences update(UUID me, NotificationPreferences.Update update) {
        if (update == null) {
            throw ApiException.validation("body", "A JSON object is required");
        }
        PreferencesRow current = row(me);
        List<FieldError> errors = new ArrayList<>();
        String level = update.defaultLevel() == null ? current.defaultLevel() : update.defaultLevel();
        if (!LEVELS.contains(level)) {
            errors.add(new FieldError("defaultLevel", "Must be one of all, mentions, nothing"));
        }
        var channels = update.channels();
        boolean desktop = channels == null || channels.desktop() == null ? current.desktop() : channels.desktop();
        boolean push = channels == null || channels.push() == null ? current.push() : channels.push();
        boolean email = channels == null || channels.email() == null ? current.email() : channels.email();
        String address = current.emailAddress();
        if (update.emailAddress() != null) {
            address = update.emailAddress().isBlank() ? null : update.emailAddress().trim();
            if (address != null && (address.length() > 254 || !EMAIL.matcher(address).matches())) {
                errors.add(new FieldError("emailAddress", "Must be an email address"));
            }
        }
        int delay = update.emailDelayMinutes() == null ? current.emailDelayMinutes() : update.emailDelayMinutes();
        if (delay < 1 || delay > 1440) {
            errors.add(new FieldError("emailDelayMinutes", "Must be between 1 and 1440"));
        }
        boolean groups = update.emailForGroups() == null ? current.emailGroups() : update.emailForGroups();
        boolean preview = update.pushPreview() == null ? current.pushPreview() : update.pushPreview();
        String quietStart = current.quietStart();
        String quietEnd = current.quietEnd();
        String zone = current.quietTimeZone();
        if (Boolean.TRUE.equals(update.quietHoursOff())) {
            quietStart = quietEnd = zone = null;
        } else if (update.quietHours() != null) {
            QuietHours quiet = update.quietHours();
            quietStart = quiet.start();
            quietEnd = quiet.end();
            zone = quiet.timeZone();
            if (quietStart == null || !HH_MM.matcher(quietStart).matches()) {
                errors.add(new FieldError("quietHours.start", "Must be a time HH:mm"));
            }
            if (quietEnd == null || !HH_MM.matcher(quietEnd).matches()) {
                errors.add(new FieldError("quietHours.end", "Must be a time HH:mm"));
            }
            if (!validZone(zone)) {
                errors.add(new FieldError("quietHours.timeZone", "Must be an IANA time zone such as Europe/Berlin"));
            }
        }
        Map<UUID, String> chats = update.chats() == null ? Map.of() : update.chats();
        if (chats.size() > 500) {
            errors.add(new FieldError("chats", "At most 500 chats per request"));
        }
        chats.forEach((chatId, chatLevel) -> {
            if (chatId == null || chatLevel == null || !(LEVELS.contains(chatLevel) || DEFAULT.equals(chatLevel))) {
                errors.add(new FieldError("chats", "Each level must be one of all, mentions, nothing, default"));
            }
        });
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        // Not a member: the same 404 as a chat that does not exist.
        chats.keySet().forEach(chatId -> access.requireMember(me, chatId));
        PreferencesRow next = new PreferencesRow(level, desktop, push, email, address, delay, groups, preview,
                quietStart, quietEnd, zone);
        transaction.executeWithoutResult(status -> {
            repository.savePreferences(me, next);
            chats.forEach((chatId, chatLevel) -> repository.setChatLevel(me, chatId,
                    DEFAULT.equals(chatLevel) ? null : chatLevel));
            events.appendToUser(me, new Event.NotificationsUpdated(null, level));
        });
        return get(me);
    }

    /** One chat's level; {@code "default"} drops the override. Returns the level now in effect. */
    public String setChatLevel(UUID me, UUID chatId, NotificationPreferences.ChatLevel body) {
        access.requireMember(me, chatId);
        String level = body == null ? null : body.level();
        if (level == null || !(LEVELS.contains(level) || DEFAULT.equals(level))) {
            throw ApiException.validation("level", "Must be one of all, mentions, nothing, default");
        }
        transaction.executeWithoutResult(status -> {
            repository.setChatLevel(me, chatId, DEFAULT.equals(level) ? null : level);
            events.appendToUser(me, new Event.NotificationsUpdated(chatId, level));
        });
        return effectiveLevel(me, chatId);
    }

    void unsubscribeEmail(UUID userId) {
        transaction.executeWithoutResult(status -> {
            repository.disableEmail(userId);
            events.appendToUser(userId, new Event.NotificationsUpdated(null, row(userId).defaultLevel()));
        });
    }

    private static boolean validZone(String zone) {
        if (zone == null || zone.isBlank() || zone.length() > 64) {
            return false;
        }
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static NotificationPreferences view(PreferencesRow row, Map<UUID, String> chats) {
        QuietHours quiet = row.quietStart() == null ? null
                : new QuietHours(row.quietStart(), row.quietEnd(), row.quietTimeZone());
        return new NotificationPreferences(row.defaultLevel(), new Channels(row.desktop(), row.push(), row.email()),
                row.emailAddress(), row.emailDelayMinutes(), row.emailGroups(), row.pushPreview(), quiet,
                new LinkedHashMap<>(chats));
    }
}
