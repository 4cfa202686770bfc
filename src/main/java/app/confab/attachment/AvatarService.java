package app.confab.attachment;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import app.confab.account.UserService;
import app.confab.account.UserView;
import app.confab.platform.ApiException;
import app.confab.platform.ErrorCode;

/**
 * Avatars are images uploaded to this server: validated, stripped of metadata and oriented like
 * attachments (same {@link ImageProcessor}, same decode budget), cut to a centred square of
 * {@value ImageProcessor#AVATAR_SIDE} px, and served by the server at
 * {@code /api/users/:id/avatar?v=<version>} — the only avatar URL a profile can hold.
 */
@Service
class AvatarService {

    /** An avatar is one image: 10 MB, whatever the (larger) limit for shared files is. */
    static final long MAX_BYTES = 10L * 1024 * 1024;


    private static final Logger log = LoggerFactory.getLogger(AvatarService.class);

    private final ImageProcessor images;
    private final ObjectStore store;
    private final AvatarRepository avatars;
    private final DecodeBudget decodeBudget;
    private final UserService users;
    private final TransactionTemplate transaction;

    AvatarService(ImageProcessor images, ObjectStore store, AvatarRepository avatars, DecodeBudget decodeBudget,
                  UserService users, TransactionTemplate transaction) {
        this.images = images;
        this.store = store;
        this.avatars = avatars;
        this.decodeBudget = decodeBudget;
        this.users = users;
        this.transaction = transaction;
    }

    UserView upload(UUID userId, String fileName, byte[] bytes) {
        if (bytes.length > AvatarService.MAX_BYTES) {
            throw ApiException.validation("avatar", fileName + " is larger than " + AvatarService.MAX_BYTES / (1024 * 1024) + " MB");
        }
        ImageProcessor.Rendition square;
        try (DecodeBudget.Slot ignored = decodeBudget.enter(userId)) {
            decodeBudget.spend(userId, Math.min(images.announcedPixels(bytes), ImageProcessor.MAX_PIXELS));
            square = images.avatar(bytes);
        } catch (ImageRejectedException e) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, "Image refused: " + fileName + " " + e.getMessage(),
                    List.of(new ApiException.FieldError("avatar", fileName + " " + e.getMessage())), null);
        }
        String version = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String key = "avatars/" + userId + "/" + version + (ImageFormat.PNG.mimeType().equals(square.contentType()) ? ".png" : ".jpg");
        try {
            store.put(key, square.bytes(), square.contentType());
        } catch (IOException e) {
            log.error("Could not store the avatar of {} in {} storage", userId, store.kind(), e);
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "File storage is unavailable; try again later");
        }
        UserView updated = transaction.execute(status -> {
            Optional<String> previous = avatars.replace(new AvatarRepository.StoredAvatar(userId, version, key,
                    square.contentType(), square.bytes().length));
            UserView user = users.updateAvatar(userId, "/api/users/" + userId + "/avatar?v=" + version);
            previous.ifPresent(old -> {
                try {
                    store.delete(old);
                } catch (IOException e) {
                    log.warn("Could not delete the replaced avatar {}", old, e);
                }
            });
            return user;
        });
        return updated;
    }

    record AvatarFile(AvatarRepository.StoredAvatar avatar, ObjectStore.StoredObject content) {
    }

    AvatarFile open(UUID userId) {
        AvatarRepository.StoredAvatar avatar = avatars.find(userId).orElseThrow(() -> ApiException.notFound("Avatar"));
        try {
            return new AvatarFile(avatar, store.open(avatar.key()).orElseThrow(() -> ApiException.notFound("Avatar")));
        } catch (IOException e) {
            log.error("Could not read the avatar of {} from {} storage", userId, store.kind(), e);
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "File storage is unavailable; try again later");
        }
    }
}
