package app.confab.protocol;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Messages as the API shows them, for features that show a message they do not own (the chat
 * list's {@code lastMessage}). The message feature implements it; the chat feature depends only on
 * this, so chat never imports message (docs/ARCHITECTURE.md, "Modules").
 */
public interface MessageLookup {

    /** Views of the messages among these ids that are not deleted, by id. The caller checks access. */
    Map<UUID, MessageView> byIds(Collection<UUID> ids);
}
