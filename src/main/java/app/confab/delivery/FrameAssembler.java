package app.confab.delivery;

/**
 * Joins the parts of one client frame. The container hands frames over in small parts (its buffer
 * is kept small because it is allocated per connection); this keeps at most the application's frame
 * limit of them, and remembers when a frame went over it, so an oversized frame costs an error
 * frame rather than memory or the connection. Used by one container thread at a time.
 */
final class FrameAssembler {

    /** A complete frame: its text, or tooLarge when it exceeded the limit (its text is then dropped). */
    record Frame(String text, boolean tooLarge) {
    }

    private final int limit;
    private StringBuilder parts;
    private boolean tooLarge;

    FrameAssembler(int limit) {
        this.limit = limit;
    }

    /** Adds a part; returns the frame once its last part has arrived, else null. */
    Frame add(String part, boolean last) {
        if (!tooLarge) {
            int length = (parts == null ? 0 : parts.length()) + part.length();
            if (length > limit) {
                tooLarge = true;
                parts = null;
            } else if (!last) {
                if (parts == null) {
                    parts = new StringBuilder(Math.min(limit, part.length() * 4));
                }
                parts.append(part);
            }
        }
        if (!last) {
            return null;
        }
        Frame frame = tooLarge ? new Frame(null, true)
                : new Frame(parts == null ? part : parts.append(part).toString(), false);
        parts = null;
        tooLarge = false;
        return frame;
    }
}
