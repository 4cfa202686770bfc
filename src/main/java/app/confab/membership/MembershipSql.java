package app.confab.membership;

/**
 * The membership rules as SQL conditions, for the few queries that must apply them inside their own
 * statement (an insert guarded atomically by membership, the stream's catch-up read joining events
 * to membership windows, the presence audience). They come from here so the rule is written once:
 * change it here and every query follows. Everything else asks {@link ChatAccess}.
 */
public final class MembershipSql {

    private MembershipSql() {
    }

    /**
     * True when {@code userId} is an active member of the live chat {@code chatId}; both arguments
     * are SQL expressions (a parameter such as {@code :chatId}, or a column).
     */
    public static String isActiveMember(String chatId, String userId) {
        return """
                EXISTS (SELECT 1 FROM chat_participants am JOIN chats ac ON ac.id = am.chat_id
                        WHERE am.chat_id = %s AND am.user_id = %s AND am.left_at IS NULL AND NOT ac.is_deleted)"""
                .formatted(chatId, userId);
    }

    /**
     * In a direct chat {@code chatId}, the member other than {@code userId} (both SQL expressions):
     * a query of one column, {@code user_id}, with no row for a group chat.
     */
    public static String otherDirectMember(String chatId, String userId) {
        return """
                SELECT dp.user_id FROM chats dc JOIN chat_participants dp ON dp.chat_id = dc.id
                WHERE dc.id = %s AND dc.type = 'direct' AND dp.user_id <> %s""".formatted(chatId, userId);
    }

    /**
     * True when the participant row {@code participant} was a member at stream position
     * {@code position}: joined at or before it, not left before it. A member who leaves sees events
     * up to and including their own departure.
     */
    public static String sawPosition(String participant, String position) {
        return "%1$s.joined_position <= %2$s AND (%1$s.left_position IS NULL OR %2$s <= %1$s.left_position)"
                .formatted(participant, position);
    }

    /**
     * The active members of the chats in {@code chatIds} (an SQL expression of type {@code uuid[]}):
     * rows of {@code (chat_id, user_id)}. {@link ChatAccess#activeMembers(java.util.List)} reads it
     * alone; the stream's batch flush reads it in the statement that writes the batch's events.
     */
    public static String activeMembersOf(String chatIds) {
        return "SELECT chat_id, user_id FROM chat_participants WHERE chat_id = ANY(%s) AND left_at IS NULL"
                .formatted(chatIds);
    }

    /** The users who share a live chat with {@code userId} (an SQL expression), the user included. */
    public static String chatMatesOf(String userId) {
        return """
                SELECT other.user_id FROM chat_participants mine
                JOIN chats c ON c.id = mine.chat_id AND NOT c.is_deleted
                JOIN chat_participants other ON other.chat_id = mine.chat_id AND other.left_at IS NULL
                WHERE mine.user_id = %s AND mine.left_at IS NULL""".formatted(userId);
    }

    /**
     * The active memberships of live chats as a join item: participant rows as {@code participant},
     * their chats as {@code chat}. Used as {@code JOIN (…) ON participant.user_id = …}.
     */
    public static String activeMemberships(String participant, String chat) {
        return "chat_participants %1$s JOIN chats %2$s ON %2$s.id = %1$s.chat_id AND NOT %2$s.is_deleted AND %1$s.left_at IS NULL"
                .formatted(participant, chat);
    }
}
