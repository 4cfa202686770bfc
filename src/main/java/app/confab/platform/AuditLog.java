package app.confab.platform;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.stereotype.Component;

/**
 * The audit trail of security-relevant actions, on the logger {@code confab.audit} (route it to
 * its own sink by logger name). Each entry is one line: a readable message, and in JSON logs the
 * fields {@code audit} (the action), {@code actorId}, and the action's subject. Never pass
 * passwords, tokens or message content here.
 */
@Component
public class AuditLog {

    private static final Logger audit = LoggerFactory.getLogger("confab.audit");

    public void registered(UUID userId, String username, String address) {
        entry("register").addKeyValue("actorId", userId).addKeyValue("username", clean(username))
                .addKeyValue("address", clean(address))
                .log("User {} registered as '{}' from {}", userId, clean(username), clean(address));
    }

    public void login(UUID userId, String address) {
        entry("login").addKeyValue("actorId", userId).addKeyValue("address", clean(address))
                .log("User {} signed in from {}", userId, clean(address));
    }

    public void loginFailed(String username, String address) {
        entry("login_failed").addKeyValue("username", clean(username)).addKeyValue("address", clean(address))
                .log("Failed sign-in for '{}' from {}", clean(username), clean(address));
    }

    public void logout(UUID userId) {
        entry("logout").addKeyValue("actorId", userId).log("User {} signed out", userId);
    }

    public void passwordChanged(UUID userId) {
        entry("password_changed").addKeyValue("actorId", userId).log("User {} changed their password", userId);
    }

    /** {@code change} says what happened: added, removed, left, role:admin, ... */
    public void membershipChanged(UUID actorId, UUID chatId, UUID memberId, String change) {
        entry("membership_changed").addKeyValue("actorId", actorId).addKeyValue("chatId", chatId)
                .addKeyValue("memberId", memberId).addKeyValue("change", clean(change))
                .log("User {} changed membership of {} in chat {}: {}", actorId, memberId, chatId, clean(change));
    }

    /** {@code kind} is what was deleted: message, chat, attachment, contact, account. */
    public void deleted(UUID actorId, String kind, UUID id) {
        entry("deleted").addKeyValue("actorId", actorId).addKeyValue("kind", clean(kind)).addKeyValue("targetId", id)
                .log("User {} deleted {} {}", actorId, clean(kind), id);
    }

    private static LoggingEventBuilder entry(String action) {
        return audit.atInfo().addKeyValue("audit", action);
    }

    /** Caller-supplied text (a username tried at login) must not forge log lines or flood them. */
    static String clean(String value) {
        if (value == null) {
            return null;
        }
        String single = value.replaceAll("\\p{Cntrl}", "?");
        return single.length() > 100 ? single.substring(0, 100) + "…" : single;
    }
}
