package app.confab.chat;

import java.util.List;

/** A page of the caller's chats, newest activity first; pass nextCursor as ?cursor= for the next page. */
public record ChatPage(List<ChatView> data, String nextCursor, boolean hasMore) {
}
