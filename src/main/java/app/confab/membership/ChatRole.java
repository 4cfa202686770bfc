package app.confab.membership;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** A member's role in a chat. Direct chats have two members and no owner. */
public enum ChatRole {
    OWNER, ADMIN, MEMBER;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChatRole of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Owner or admin: may change the chat and its membership. */
    public boolean manages() {
        return this != MEMBER;
    }
}
