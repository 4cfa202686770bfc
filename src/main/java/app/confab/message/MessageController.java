package app.confab.message;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import app.confab.platform.AuthenticatedUser;
import app.confab.protocol.MessageView;
import io.swagger.v3.oas.annotations.Operation;

/** Message, reaction and read-receipt endpoints (docs/subsystems/chats-messages.md, "REST summary"). */
@RestController
class MessageController {

    record MessageResponse(MessageView message) {
    }

    record ReactionResponse(ReactionView reaction) {
    }

    record ReactionRequest(String emoji) {
    }

    record ReadRequest(UUID messageId) {
    }

    record ThreadReadRequest(UUID messageId) {
    }

    private final MessageService messages;
    private final ReactionService reactions;
    private final ReadReceiptService receipts;

    MessageController(MessageService messages, ReactionService reactions, ReadReceiptService receipts) {
        this.messages = messages;
        this.reactions = reactions;
        this.receipts = receipts;
    }

    @GetMapping("/api/chats/{chatId}/messages")
    MessagePage list(AuthenticatedUser user, @PathVariable UUID chatId,
                     @RequestParam(required = false) String cursor,
                     @RequestParam(required = false) String after,
                     @RequestParam(required = false) UUID around,
                     @RequestParam(required = false) Integer limit) {
        return messages.list(user.userId(), chatId, cursor, after, around, limit);
    }

    @Operation(summary = "Send a message; threadRootId sends it as a reply in that message's thread. "
            + "The response carries mentions (member ids parsed from @username), mentionsEveryone, threadRootId")
    @PostMapping("/api/chats/{chatId}/messages")
    ResponseEntity<MessageResponse> send(AuthenticatedUser user, @PathVariable UUID chatId,
                                         @RequestBody MessageService.SendMessageRequest request) {
        MessageService.Sent sent = messages.send(user.userId(), chatId, request);
        return ResponseEntity.status(sent.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new MessageResponse(sent.message()));
    }

    @PostMapping("/api/chats/{chatId}/read")
    ReadReceiptService.ReadState read(AuthenticatedUser user, @PathVariable UUID chatId,
                                      @RequestBody ReadRequest request) {
        return receipts.markRead(user.userId(), chatId, request.messageId());
    }

    @GetMapping("/api/messages/{messageId}")
    MessageResponse get(AuthenticatedUser user, @PathVariable UUID messageId) {
        return new MessageResponse(messages.get(user.userId(), messageId));
    }

    /** The thread of a main-timeline message: root, replies newest first (paged by cursor), the caller's read state. */
    @Operation(summary = "A message's thread: the root, its replies newest first (paged like history), the caller's thread read state")
    @GetMapping("/api/messages/{messageId}/thread")
    MessageService.ThreadPage thread(AuthenticatedUser user, @PathVariable UUID messageId,
                                     @RequestParam(required = false) String cursor,
                                     @RequestParam(required = false) Integer limit) {
        return messages.thread(user.userId(), messageId, cursor, limit);
    }

    /** Moves the caller's read position in the thread up to the reply {@code messageId}. */
    @Operation(summary = "Mark the thread read up to one of its replies (forward only)")
    @PostMapping("/api/messages/{messageId}/thread/read")
    MessageService.ThreadReadState threadRead(AuthenticatedUser user, @PathVariable UUID messageId,
                                              @RequestBody ThreadReadRequest request) {
        return messages.markThreadRead(user.userId(), messageId, request == null ? null : request.messageId());
    }

    @PutMapping("/api/messages/{messageId}")
    MessageResponse edit(AuthenticatedUser user, @PathVariable UUID messageId,
                         @RequestBody MessageService.EditMessageRequest request) {
        return new MessageResponse(messages.edit(user.userId(), messageId, request));
    }

    @DeleteMapping("/api/messages/{messageId}")
    ResponseEntity<Void> delete(AuthenticatedUser user, @PathVariable UUID messageId) {
        messages.delete(user.userId(), messageId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/messages/{messageId}/reactions")
    ResponseEntity<ReactionResponse> react(AuthenticatedUser user, @PathVariable UUID messageId,
                                           @RequestBody ReactionRequest request) {
        ReactionService.Outcome outcome = reactions.add(user.userId(), messageId, request.emoji());
        return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new ReactionResponse(outcome.reaction()));
    }

    @DeleteMapping("/api/messages/{messageId}/reactions/{reactionId}")
    ResponseEntity<Void> unreact(AuthenticatedUser user, @PathVariable UUID messageId, @PathVariable UUID reactionId) {
        reactions.remove(user.userId(), messageId, reactionId);
        return ResponseEntity.noContent().build();
    }
}
