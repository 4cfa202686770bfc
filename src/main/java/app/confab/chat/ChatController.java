package app.confab.chat;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import app.confab.platform.AuthenticatedUser;
import tools.jackson.databind.JsonNode;

/** Chat endpoints (docs/subsystems/chats-messages.md, "REST summary"), plus role changes. Rules live in {@link ChatService}. */
@RestController
@RequestMapping("/api/chats")
class ChatController {

    record ChatResponse(ChatView chat) {
    }

    private final ChatService chats;

    ChatController(ChatService chats) {
        this.chats = chats;
    }

    @GetMapping
    ChatPage list(AuthenticatedUser user, @RequestParam(required = false) String cursor,
                  @RequestParam(required = false) Integer limit) {
        return chats.list(user.userId(), cursor, limit);
    }

    @GetMapping("/{chatId}")
    ChatResponse get(AuthenticatedUser user, @PathVariable UUID chatId) {
        return new ChatResponse(chats.get(user.userId(), chatId));
    }

    @GetMapping("/slug/{slug}")
    ChatResponse getBySlug(AuthenticatedUser user, @PathVariable String slug) {
        return new ChatResponse(chats.getBySlug(user.userId(), slug));
    }

    @PostMapping("/direct")
    ResponseEntity<ChatResponse> direct(AuthenticatedUser user, @RequestBody ChatService.DirectChatRequest request) {
        ChatService.Outcome outcome = chats.createDirect(user.userId(), request);
        return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new ChatResponse(outcome.chat()));
    }

    @PostMapping("/group")
    @ResponseStatus(HttpStatus.CREATED)
    ChatResponse group(AuthenticatedUser user, @RequestBody ChatService.GroupChatRequest request) {
        return new ChatResponse(chats.createGroup(user.userId(), request));
    }

    @PutMapping("/{chatId}")
    ChatResponse update(AuthenticatedUser user, @PathVariable UUID chatId, @RequestBody JsonNode body) {
        return new ChatResponse(chats.update(user.userId(), chatId, body));
    }

    @DeleteMapping("/{chatId}")
    ResponseEntity<Void> delete(AuthenticatedUser user, @PathVariable UUID chatId) {
        chats.delete(user.userId(), chatId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{chatId}/participants")
    ResponseEntity<ChatResponse> addParticipants(AuthenticatedUser user, @PathVariable UUID chatId,
                                                 @RequestBody ChatService.AddParticipantsRequest request) {
        ChatService.Outcome outcome = chats.addParticipants(user.userId(), chatId, request);
        return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new ChatResponse(outcome.chat()));
    }

    @PutMapping("/{chatId}/participants/{userId}")
    ChatResponse changeRole(AuthenticatedUser user, @PathVariable UUID chatId, @PathVariable UUID userId,
                            @RequestBody ChatService.RoleRequest request) {
        return new ChatResponse(chats.changeRole(user.userId(), chatId, userId, request));
    }

    @DeleteMapping("/{chatId}/participants/{userId}")
    ResponseEntity<Void> removeParticipant(AuthenticatedUser user, @PathVariable UUID chatId,
                                           @PathVariable UUID userId) {
        chats.removeParticipant(user.userId(), chatId, userId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{chatId}/leave")
    ResponseEntity<Void> leave(AuthenticatedUser user, @PathVariable UUID chatId) {
        chats.leave(user.userId(), chatId);
        return ResponseEntity.noContent().build();
    }
}
