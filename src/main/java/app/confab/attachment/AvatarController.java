package app.confab.attachment;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import app.confab.account.UserView;
import app.confab.platform.ApiException;
import app.confab.platform.AuthenticatedUser;
import jakarta.servlet.http.HttpServletResponse;

/** Uploading one's avatar (multipart field {@code avatar}) and serving anyone's, to signed-in users. */
@RestController
class AvatarController {

    private final AvatarService avatars;

    AvatarController(AvatarService avatars) {
        this.avatars = avatars;
    }

    @PutMapping("/api/users/me/avatar")
    Map<String, UserView> upload(AuthenticatedUser user, @RequestParam(name = "avatar", required = false) MultipartFile avatar) {
        if (avatar == null || avatar.isEmpty()) {
            throw ApiException.validation("avatar", "An image is required (multipart field 'avatar')");
        }
        if (avatar.getSize() > AvatarService.MAX_BYTES) {
            throw ApiException.validation("avatar", "The image is larger than " + AvatarService.MAX_BYTES / (1024 * 1024) + " MB");
        }
        byte[] bytes;
        try {
            bytes = avatar.getBytes();
        } catch (IOException e) {
            throw ApiException.validation("avatar", "Could not read the uploaded file");
        }
        return Map.of("user", avatars.upload(user.userId(), FileNames.clean(avatar.getOriginalFilename()), bytes));
    }

    @GetMapping("/api/users/{id}/avatar")
    void serve(AuthenticatedUser user, @PathVariable UUID id, HttpServletResponse response) throws IOException {
        AvatarService.AvatarFile file = avatars.open(id);
        try (ObjectStore.StoredObject content = file.content()) {
            response.setStatus(200);
            response.setContentType(file.avatar().contentType());
            response.setContentLengthLong(content.size());
            // The URL carries the version, so a copy never goes stale; private, as it needs a token.
            response.setHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=31536000, immutable");
            response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
            try (OutputStream out = response.getOutputStream()) {
                content.content().transferTo(out);
            }
        }
    }
}
