package app.confab.contact;

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
import app.confab.platform.CursorPage;

/**
 * Seed §6.1 contact endpoints plus blocking. Wherever a path has a contact {@code :id}, either the
 * caller's contact row id or the other user's id is accepted.
 */
@RestController
@RequestMapping("/api/contacts")
class ContactController {

    private final ContactService contacts;

    ContactController(ContactService contacts) {
        this.contacts = contacts;
    }

    record ContactResponse(ContactView contact) {
    }

    @GetMapping
    CursorPage<ContactView> list(AuthenticatedUser caller,
                                 @RequestParam(name = "limit", required = false) String limit,
                                 @RequestParam(name = "cursor", required = false) String cursor) {
        return contacts.accepted(caller.userId(), limit, cursor);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ContactResponse request(AuthenticatedUser caller, @RequestBody ContactService.ContactRequest request) {
        return new ContactResponse(contacts.request(caller.userId(), request));
    }

    @GetMapping("/pending")
    CursorPage<ContactView> pending(AuthenticatedUser caller,
                                    @RequestParam(name = "limit", required = false) String limit,
                                    @RequestParam(name = "cursor", required = false) String cursor) {
        return contacts.pending(caller.userId(), limit, cursor);
    }

    @GetMapping("/blocked")
    CursorPage<ContactView> blocked(AuthenticatedUser caller,
                                    @RequestParam(name = "limit", required = false) String limit,
                                    @RequestParam(name = "cursor", required = false) String cursor) {
        return contacts.blocked(caller.userId(), limit, cursor);
    }

    @PutMapping("/{id}/accept")
    ContactResponse accept(AuthenticatedUser caller, @PathVariable UUID id) {
        return new ContactResponse(contacts.accept(caller.userId(), id));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(AuthenticatedUser caller, @PathVariable UUID id) {
        contacts.remove(caller.userId(), id);
    }

    /** 201 with the block when it is new, 200 when the user was already blocked. */
    @PostMapping("/{id}/block")
    ResponseEntity<ContactResponse> block(AuthenticatedUser caller, @PathVariable UUID id) {
        ContactService.BlockResult result = contacts.block(caller.userId(), id);
        return ResponseEntity.status(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new ContactResponse(result.contact()));
    }

    @DeleteMapping("/{id}/block")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unblock(AuthenticatedUser caller, @PathVariable UUID id) {
        contacts.unblock(caller.userId(), id);
    }
}
