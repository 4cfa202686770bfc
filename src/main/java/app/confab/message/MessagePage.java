package app.confab.message;

import java.util.List;

import app.confab.protocol.MessageView;

/**
 * A page of messages, newest first. {@code nextCursor} continues towards older messages
 * ({@code ?cursor=}), {@code newerCursor} towards newer ones ({@code ?after=}); each is null when
 * there is nothing more in its direction.
 */
public record MessagePage(List<MessageView> data, String nextCursor, boolean hasMore, String newerCursor,
                          boolean hasNewer) {
}
