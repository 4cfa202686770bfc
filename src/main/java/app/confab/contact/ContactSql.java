package app.confab.contact;

/**
 * The block rule as an SQL condition, for the one statement that must apply it inside itself: the
 * message insert, so that a block committed while a direct message is on its way stops it under the
 * stream lock, with no read of its own per send. Everything else asks {@link ContactService}.
 */
public final class ContactSql {

    private ContactSql() {
    }

    /**
     * True when either of the users {@code a} and {@code b} (SQL expressions: parameters or columns)
     * has blocked the other.
     */
    public static String isBlockedEitherWay(String a, String b) {
        return """
                EXISTS (SELECT 1 FROM contacts bc
                        WHERE bc.status = 'blocked'
                          AND ((bc.user_id = %1$s AND bc.contact_id = %2$s) OR (bc.user_id = %2$s AND bc.contact_id = %1$s)))"""
                .formatted(a, b);
    }
}
