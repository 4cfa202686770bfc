package app.confab.account;

import java.util.Map;
import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;


import app.confab.platform.ApiException;
import app.confab.platform.AuthenticatedUser;
import app.confab.platform.CursorPage;

/** Seed §6.1 user endpoints. A single user is answered as {@code {"user": {...}}}, like register and login. */
@RestController
@RequestMapping("/api/users")
class UserController {

    private final UserService userService;
    private final StorageUsage storage;

    UserController(UserService userService, StorageUsage storage) {
        this.userService = userService;
        this.storage = storage;
    }

    record UserResponse(UserView user) {
    }

    /** The caller's own profile, with how much of their storage quota their files take. */
    record MeResponse(UserView user, StorageUsage.Usage storage) {
    }

    @GetMapping("/me")
    MeResponse me(AuthenticatedUser caller) {
        return new MeResponse(userService.get(caller.userId()), storage.usage(caller.userId()));
    }

    @PutMapping("/me")
    UserResponse updateMe(AuthenticatedUser caller, @RequestBody UserService.UpdateProfileRequest request) {
        return new UserResponse(userService.updateProfile(caller, request));
    }

    /** {@code {"avatarUrl": "https://..."}} sets it, {@code {"avatarUrl": null}} removes it. */
    @PatchMapping("/me/avatar")
    UserResponse updateAvatar(AuthenticatedUser caller, @RequestBody Map<String, Object> body) {
        if (body == null || !body.containsKey("avatarUrl")) {
            throw ApiException.validation("avatarUrl", "avatarUrl is required (null removes the avatar)");
        }
        Object value = body.get("avatarUrl");
        if (value != null && !(value instanceof String)) {
            throw ApiException.validation("avatarUrl", "Must be a string or null");
        }
        return new UserResponse(userService.updateAvatar(caller.userId(), (String) value));
    }

    @GetMapping("/search")
    CursorPage<UserView> search(AuthenticatedUser caller,
                                @RequestParam(name = "q", required = false) String query,
                                @RequestParam(name = "limit", required = false) String limit,
                                @RequestParam(name = "cursor", required = false) String cursor) {
        return userService.search(caller.userId(), query, limit, cursor);
    }

    @GetMapping("/{id}")
    UserResponse get(AuthenticatedUser caller, @PathVariable UUID id) {
        return new UserResponse(userService.get(id));
    }
}
