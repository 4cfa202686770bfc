package app.confab.message;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds {@code @username}, {@code @here} and {@code @all} in a message's text. Only members of
 * the chat count: the result is their user ids, so a later rename keeps the mention pointing at
 * the same person. An {@code @} inside a word (an e-mail address) or inside inline code is not a
 * mention.
 */
final class Mentions {

    /** What a text mentions: member ids in the order of first mention, and whether it names everyone. */
    record Parsed(List<UUID> userIds, boolean everyone) {
        static final Parsed NONE = new Parsed(List.of(), false);
    }

    // Usernames are [A-Za-z0-9_]{3,50} (account.Usernames); the look-behind keeps "a@b.c" out.
    private static final Pattern MENTION = Pattern.compile("(?<![\\p{L}\\p{N}_@/])@([A-Za-z0-9_]{3,50})(?![A-Za-z0-9_])");
    private static final Pattern CODE = Pattern.compile("```.*?```|`[^`\\n]*`", Pattern.DOTALL);
    static final Set<String> EVERYONE = Set.of("here", "all", "everyone");

    private Mentions() {
    }

    /**
     * @param text             the stored (escaped) content
     * @param membersByUsername the chat's active members, keyed by lower-cased username
     * @param everyoneAllowed  whether this sender may mention everyone here (a group whose
     *                         setting lets them); otherwise {@code @all} is plain text
     */
    static Parsed parse(String text, Map<String, UUID> membersByUsername, boolean everyoneAllowed) {
        if (!mayMention(text)) {
            return Parsed.NONE;
        }
        String withoutCode = CODE.matcher(text).replaceAll(" ");
        Set<UUID> ids = new LinkedHashSet<>();
        boolean everyone = false;
        Matcher matcher = MENTION.matcher(withoutCode);
        while (matcher.find()) {
            String name = matcher.group(1).toLowerCase(Locale.ROOT);
            UUID id = membersByUsername.get(name);
            if (id != null) {
                ids.add(id);
            } else if (EVERYONE.contains(name) && everyoneAllowed) {
                everyone = true;
            }
        }
        return new Parsed(List.copyOf(ids), everyone);
    }

    /** Whether the text could mention anyone at all: without an {@code @} there is nothing to resolve. */
    static boolean mayMention(String text) {
        return text != null && text.indexOf('@') >= 0;
    }

    /** Whether the text tries to mention everyone (used to refuse it when the chat restricts it). */
    static boolean triesEveryone(String text) {
        if (!mayMention(text)) {
            return false;
        }
        Matcher matcher = MENTION.matcher(CODE.matcher(text).replaceAll(" "));
        while (matcher.find()) {
            if (EVERYONE.contains(matcher.group(1).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
