package app.confab.notification;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A user's notification settings as GET/PUT /api/users/me/notifications show them. Levels are
 * {@code all}, {@code mentions} or {@code nothing}; {@code chats} holds the per-chat overrides only
 * (a chat not named follows {@code defaultLevel}).
 */
public record NotificationPreferences(String defaultLevel, Channels channels, String emailAddress,
                                      int emailDelayMinutes, boolean emailForGroups, boolean pushPreview,
                                      @JsonInclude(JsonInclude.Include.ALWAYS) QuietHours quietHours,
                                      Map<UUID, String> chats) {

    public record Channels(boolean desktop, boolean push, boolean email) {
    }

    /** From {@code start} to {@code end} (HH:mm, may wrap midnight) in {@code timeZone}: no push, no email. */
    public record QuietHours(String start, String end, String timeZone) {
    }

    /** The body of PUT: every field optional (absent = unchanged); a chat mapped to "default" drops its override. */
    public record Update(String defaultLevel, ChannelsUpdate channels, String emailAddress, Integer emailDelayMinutes,
                         Boolean emailForGroups, Boolean pushPreview, QuietHours quietHours, Boolean quietHoursOff,
                         Map<UUID, String> chats) {
    }

    public record ChannelsUpdate(Boolean desktop, Boolean push, Boolean email) {
    }

    public record ChatLevel(String level) {
    }
}
