package app.confab.platform;

import java.util.List;
import java.util.Map;

/**
 * The words of the OpenAPI document that the code cannot say by itself: a summary and a description
 * per operation (keyed by {@code "METHOD /route"}), the fields each request body needs, and an
 * example per request body. Kept here, beside {@link OpenApiConfig}, rather than as annotations on
 * the controllers, so the controllers stay about routing. An operation missing from
 * {@link #OPERATIONS} still gets a summary derived from its handler's name (OpenApiConfig), so a new
 * endpoint never breaks the lint; add it here to say more.
 */
final class ApiDocs {

    private ApiDocs() {
    }

    record Text(String summary, String description) {
    }

    static final Map<String, Text> OPERATIONS = Map.ofEntries(
            op("POST /api/auth/register", "Create an account",
                    "Creates a user and signs them in: returns the user, an access token (JWT, 15 minutes) and a refresh token. "
                            + "Usernames are 3–50 letters, digits, '_' or '-', unique ignoring case; passwords at least 8 characters."),
            op("POST /api/auth/login", "Sign in",
                    "Exchanges username and password for an access and a refresh token. Repeated failures from one address "
                            + "are rate limited (429 with Retry-After)."),
            op("POST /api/auth/refresh", "Refresh the access token",
                    "Trades a refresh token for a new access token and a new refresh token; the old refresh token stops working (rotation)."),
            op("POST /api/auth/logout", "Sign out",
                    "Revokes the given refresh token. Access tokens already issued stay valid until they expire."),
            op("GET /api/users/me", "The signed-in user", "Returns the caller's own profile."),
            op("PUT /api/users/me", "Update the profile",
                    "Changes the display name and/or the password. Every field is optional; a password change needs "
                            + "currentPassword, newPassword and newPasswordConfirm together."),
            op("PATCH /api/users/me/avatar", "Set or remove the avatar",
                    "{\"avatarUrl\": \"https://…\"} sets the avatar; {\"avatarUrl\": null} removes it."),
            op("GET /api/users/search", "Search users",
                    "Finds users by username or display name prefix (q, at least 1 character). Cursor-paginated."),
            op("GET /api/users/{id}", "A user's public profile", "Returns another user's public profile; 404 when there is no such user."),
            op("GET /api/contacts", "List contacts", "The caller's accepted contacts, cursor-paginated."),
            op("POST /api/contacts", "Send a contact request",
                    "Asks another user (by username or userId) to become a contact. Blocked users answer 404, like unknown ones."),
            op("GET /api/contacts/pending", "Pending contact requests", "Contact requests sent to the caller that wait for an answer."),
            op("GET /api/contacts/blocked", "Blocked users", "The users the caller has blocked."),
            op("PUT /api/contacts/{id}/accept", "Accept a contact request", "Accepts a pending request addressed to the caller."),
            op("DELETE /api/contacts/{id}", "Remove a contact", "Removes a contact, or declines or withdraws a pending request."),
            op("POST /api/contacts/{id}/block", "Block a user",
                    "Blocks a user: they can no longer send the caller contact requests or direct messages."),
            op("DELETE /api/contacts/{id}/block", "Unblock a user", "Lifts a block set by the caller."),
            op("GET /api/chats", "List chats",
                    "The chats the caller is a participant of, most recent activity first, with unread counts. Cursor-paginated."),
            op("GET /api/chats/{chatId}", "A chat", "One chat the caller participates in; 404 for chats they are not in (no existence leak)."),
            op("GET /api/chats/slug/{slug}", "A group chat by slug", "Looks up a group chat by its unique slug; 404 unless the caller participates."),
            op("POST /api/chats/direct", "Open a direct chat",
                    "Returns the direct chat with another user, creating it when there is none (201) — one per pair."),
            op("POST /api/chats/group", "Create a group chat",
                    "Creates a group chat with the caller as owner and the given participants as members."),
            op("PUT /api/chats/{chatId}", "Update a group chat", "Changes name, slug or description. Owners and admins only."),
            op("DELETE /api/chats/{chatId}", "Delete a group chat", "Deletes the chat and its messages. Owner only."),
            op("POST /api/chats/{chatId}/participants", "Add participants", "Adds users to a group chat. Owners and admins only."),
            op("PUT /api/chats/{chatId}/participants/{userId}", "Change a participant's role",
                    "Sets a participant's role (admin or member). Owner only."),
            op("DELETE /api/chats/{chatId}/participants/{userId}", "Remove a participant",
                    "Removes a participant from a group chat. Owners and admins only."),
            op("POST /api/chats/{chatId}/leave", "Leave a chat", "The caller leaves a group chat; an owner hands ownership on first."),
            op("GET /api/chats/{chatId}/messages", "Message history",
                    "Messages of a chat, newest first, cursor-paginated (before/after cursors)."),
            op("POST /api/chats/{chatId}/messages", "Send a message",
                    "Sends a message (text, markdown or with attachments). A repeated clientMessageId returns the earlier "
                            + "message with 200 instead of storing it twice (idempotent retry). Rate limited per user."),
            op("POST /api/chats/{chatId}/read", "Mark as read", "Moves the caller's read position in the chat up to the given message."),
            op("GET /api/messages/{messageId}", "A message", "One message of a chat the caller participates in."),
            op("PUT /api/messages/{messageId}", "Edit a message", "Replaces the content of the caller's own message; marks it edited."),
            op("DELETE /api/messages/{messageId}", "Delete a message",
                    "Deletes a message (soft delete): the author, or a chat owner or admin."),
            op("POST /api/messages/{messageId}/reactions", "React to a message", "Adds an emoji reaction by the caller (one per emoji)."),
            op("DELETE /api/messages/{messageId}/reactions/{reactionId}", "Remove a reaction", "Removes one of the caller's reactions."),
            op("GET /api/messages/search", "Search messages",
                    "Full-text search over the messages of the caller's chats (optionally one chat), ranked or newest first."),
            op("POST /api/attachments/upload", "Upload images",
                    "Uploads up to 10 images (JPEG, PNG, GIF, WebP; 10 MB each) as multipart/form-data field 'images'. "
                            + "Returns their ids to attach to a message."),
            op("GET /api/attachments/{id}", "Download an attachment", "The original file; needs access to a chat that holds it."),
            op("GET /api/attachments/{id}/medium", "Medium-size image", "The medium-size rendition of an image attachment."),
            op("GET /api/attachments/{id}/thumbnail", "Thumbnail", "The thumbnail rendition of an image attachment."),
            op("GET /api/attachments/{id}/signed/{variant}", "Download by signed link",
                    "A time-limited link that needs no token (for <img> tags). Expired or wrong signatures answer 404."),
            op("DELETE /api/attachments/{id}", "Delete an attachment", "Deletes an attachment the caller uploaded and that no message uses."),
            op("GET /api/events", "Poll for events",
                    "Long-polling fallback for clients without WebSocket: waits up to timeout for events after cursor."),
            op("GET /health", "Liveness",
                    "Answers 200 as long as the process can answer; never calls a dependency (an orchestrator's liveness probe)."),
            op("GET /health/ready", "Readiness",
                    "200 when this node can serve (its database answers), 503 when it cannot or while it drains before stopping."));

    /** Request body schemas: the fields a request must carry (the service rejects it without them). */
    static final Map<String, List<String>> REQUIRED = Map.of(
            "RegisterRequest", List.of("username", "password", "passwordConfirm"),
            "LoginRequest", List.of("username", "password"),
            "RefreshRequest", List.of("refreshToken"),
            "LogoutRequest", List.of("refreshToken"),
            "GroupChatRequest", List.of("name"),
            "RoleRequest", List.of("role"),
            "EditMessageRequest", List.of("content"),
            "ReactionRequest", List.of("emoji"),
            "ReadRequest", List.of("messageId"));

    /** One realistic example per request body schema. */
    static final Map<String, Object> EXAMPLES = Map.ofEntries(
            Map.entry("RegisterRequest", Map.of("username", "alice", "password", "correct-horse-battery",
                    "passwordConfirm", "correct-horse-battery", "displayName", "Alice")),
            Map.entry("LoginRequest", Map.of("username", "alice", "password", "correct-horse-battery")),
            Map.entry("RefreshRequest", Map.of("refreshToken", "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")),
            Map.entry("LogoutRequest", Map.of("refreshToken", "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")),
            Map.entry("UpdateProfileRequest", Map.of("displayName", "Alice Liddell")),
            Map.entry("DirectChatRequest", Map.of("username", "bob")),
            Map.entry("GroupChatRequest", Map.of("name", "Platform team", "slug", "platform-team",
                    "description", "Deploys and on-call", "participantIds", List.of("5ff3c1a2-7d1e-4c3b-9a0e-2b1f0d6e8a11"))),
            Map.entry("AddParticipantsRequest", Map.of("userIds", List.of("5ff3c1a2-7d1e-4c3b-9a0e-2b1f0d6e8a11"))),
            Map.entry("RoleRequest", Map.of("role", "admin")),
            Map.entry("ContactRequest", Map.of("username", "bob")),
            Map.entry("SendMessageRequest", Map.of("content", "Deploy is green :rocket:", "contentType", "text",
                    "clientMessageId", "c0a8012e-3f4b-4d6a-9b1e-7e2d9c4f5a60")),
            Map.entry("EditMessageRequest", Map.of("content", "Deploy is green, rolling out")),
            Map.entry("ReactionRequest", Map.of("emoji", "👍")),
            Map.entry("ReadRequest", Map.of("messageId", "0b9f3a14-6c2d-4e8f-a1b7-3d5c9e2f4a80")));

    private static Map.Entry<String, Text> op(String key, String summary, String description) {
        return Map.entry(key, new Text(summary, description));
    }
}
