package app.confab.notification;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/** Whether an instant falls in a user's quiet hours (start inclusive, end exclusive; may wrap midnight). */
final class QuietHours {

    private QuietHours() {
    }

    static boolean isQuiet(String start, String end, String timeZone, Instant now) {
        if (start == null || end == null || timeZone == null) {
            return false;
        }
        try {
            LocalTime from = LocalTime.parse(start);
            LocalTime to = LocalTime.parse(end);
            LocalTime local = now.atZone(ZoneId.of(timeZone)).toLocalTime();
            if (from.equals(to)) {
                return false;
            }
            return from.isBefore(to)
                    ? !local.isBefore(from) && local.isBefore(to)
                    : !local.isBefore(from) || local.isBefore(to);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
