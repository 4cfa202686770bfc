package app.confab.notification;

/**
 * Message text made safe for places that are not the chat: an OS notification or an email.
 * Control and bidirectional-override characters go (they can disguise a preview), runs of
 * whitespace become one space, and the result is cut to a length at a code-point boundary.
 */
final class Previews {

    private Previews() {
    }

    static String plain(String text, int max) {
        if (text == null) {
            return "";
        }
        String cleaned = text
                .replaceAll("[\\p{Cc}\\p{Cf}&&[^\\n\\t]]", "")
                .replaceAll("\\s+", " ")
                .strip();
        if (cleaned.codePointCount(0, cleaned.length()) <= max) {
            return cleaned;
        }
        return cleaned.substring(0, cleaned.offsetByCodePoints(0, max - 1)).stripTrailing() + "…";
    }
}
