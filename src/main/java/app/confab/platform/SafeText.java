package app.confab.platform;

/**
 * User text made safe to store and to serve (docs/subsystems/formatting.md): control characters other than tab and
 * line breaks are removed, and the five HTML-significant characters are replaced by entities, so
 * stored text can be inserted into a page as HTML and never becomes markup. Applied on write to
 * message content and to chat names and descriptions (docs/subsystems/formatting.md).
 */
public final class SafeText {

    private SafeText() {
    }

    /** Removes NUL and other control characters (PostgreSQL rejects NUL; the rest are invisible noise). */
    public static String clean(String raw) {
        if (raw == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean control = (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f;
            if (control && out == null) {
                out = new StringBuilder(raw.length()).append(raw, 0, i);
            } else if (!control && out != null) {
                out.append(c);
            }
        }
        return out == null ? raw : out.toString();
    }

    /** Escapes {@code & < > " '} as entities. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String entity = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (entity != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (entity != null) {
                    out.append(entity);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** Cleans then escapes: what is stored for a piece of user text. */
    public static String store(String raw) {
        return escape(clean(raw));
    }

    /** Length in characters as a user counts them (Unicode code points). */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /**
     * The first {@code max} characters of escaped text, for previews; never cuts an entity or a
     * surrogate pair in half, and marks the cut with an ellipsis.
     */
    public static String preview(String escaped, int max) {
        if (escaped == null || escaped.length() <= max) {
            return escaped;
        }
        int end = max;
        if (Character.isLowSurrogate(escaped.charAt(end)) && end > 0) {
            end--;
        }
        int amp = escaped.lastIndexOf('&', end - 1);
        if (amp >= 0 && escaped.indexOf(';', amp) >= end) {
            end = amp;
        }
        return escaped.substring(0, end) + "…";
    }
}
