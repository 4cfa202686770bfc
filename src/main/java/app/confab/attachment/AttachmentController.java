package app.confab.attachment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import app.confab.platform.ApiException;
import app.confab.platform.AuthenticatedUser;
import jakarta.servlet.http.HttpServletResponse;

/** The attachment endpoints of docs/subsystems/attachments.md plus the derived sizes and signed links. */
@RestController
@RequestMapping("/api/attachments")
class AttachmentController {

    /** Objects never change, so a browser may keep them as long as it likes; private, since access is checked. */
    private static final long TOKEN_URL_MAX_AGE = 365L * 24 * 3600;
    /** A signed URL changes every few minutes; a copy fetched with a token need not outlive that. */
    private static final long SIGNED_WITH_TOKEN_MAX_AGE = 600;

    private final AttachmentService attachments;

    AttachmentController(AttachmentService attachments) {
        this.attachments = attachments;
    }

    @PostMapping("/upload")
    ResponseEntity<Map<String, List<AttachmentView>>> upload(
            AuthenticatedUser user, @RequestParam(name = "images", required = false) List<MultipartFile> images,
            @RequestParam(name = "files", required = false) List<MultipartFile> others) {
        List<AttachmentService.UploadedFile> files = new ArrayList<>();
        if (images != null) {
            for (MultipartFile image : images) {
                files.add(new AttachmentService.UploadedFile(FileNames.clean(image.getOriginalFilename()),
                        bytes(image, "images", attachments.maxFileBytes()), true));
            }
        }
        if (others != null) {
            // Any type; an image among them is still decoded and validated as one.
            for (MultipartFile file : others) {
                files.add(new AttachmentService.UploadedFile(FileNames.clean(file.getOriginalFilename()),
                        bytes(file, "files", attachments.maxFileBytes()), false));
            }
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("attachments", attachments.upload(user.userId(), files)));
    }

    private static byte[] bytes(MultipartFile file, String field, long maxBytes) {
        if (file.getSize() > maxBytes) {
            throw ApiException.validation(field, FileNames.clean(file.getOriginalFilename()) + " is larger than "
                    + maxBytes / (1024 * 1024) + " MB");
        }
        try {
            return file.getBytes();
        } catch (IOException e) {
            throw ApiException.validation(field, "Could not read the uploaded file");
        }
    }

    @GetMapping("/{id}")
    void original(@PathVariable UUID id, AuthenticatedUser user,
                  @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                  HttpServletResponse response) throws IOException {
        send(attachments.download(id, Variant.ORIGINAL, user.userId()), TOKEN_URL_MAX_AGE, ifNoneMatch, response);
    }

    @GetMapping("/{id}/medium")
    void medium(@PathVariable UUID id, AuthenticatedUser user,
                @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                HttpServletResponse response) throws IOException {
        send(attachments.download(id, Variant.MEDIUM, user.userId()), TOKEN_URL_MAX_AGE, ifNoneMatch, response);
    }

    @GetMapping("/{id}/thumbnail")
    void thumbnail(@PathVariable UUID id, AuthenticatedUser user,
                   @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                   HttpServletResponse response) throws IOException {
        send(attachments.download(id, Variant.THUMBNAIL, user.userId()), TOKEN_URL_MAX_AGE, ifNoneMatch, response);
    }

    /**
     * A signed link (public path: no token needed). A request that does carry a valid token is served
     * by the member check instead when the signature has expired, so API clients never get stuck.
     */
    @GetMapping("/{id}/signed/{variant}")
    void signed(@PathVariable UUID id, @PathVariable String variant,
                @RequestParam(name = "exp", required = false) Long expiry,
                @RequestParam(name = "sig", required = false) String signature,
                @RequestAttribute(name = AuthenticatedUser.ATTRIBUTE, required = false) AuthenticatedUser user,
                @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
                HttpServletResponse response) throws IOException {
        Variant wanted = Variant.fromPathName(variant).orElseThrow(() -> ApiException.notFound("Attachment"));
        if (user != null) {
            // A reader who says who they are is checked as themselves: their current membership
            // decides, whatever the link says (and an expired link still works for a member).
            send(attachments.download(id, wanted, user.userId()), SIGNED_WITH_TOKEN_MAX_AGE, ifNoneMatch, response);
            return;
        }
        AttachmentService.Download download = attachments.signedDownload(id, wanted, expiry, signature);
        send(download, attachments.signedSecondsLeft(expiry), ifNoneMatch, response);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id, AuthenticatedUser user) {
        attachments.delete(id, user.userId());
        return ResponseEntity.noContent().build();
    }

    private void send(AttachmentService.Download download, long maxAge, String ifNoneMatch,
                      HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.ETAG, download.etag());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=" + maxAge + ", immutable");
        // The bytes were decoded as an image, but never let a browser treat them as anything else.
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
        if (matches(ifNoneMatch, download.etag())) {
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            return;
        }
        try (ObjectStore.StoredObject object = attachments.open(download)) {
            response.setStatus(HttpStatus.OK.value());
            boolean image = download.row().isImage();
            // A file is always a download, with an allow-listed type (checked again here, whatever is
            // stored): never a page the browser renders in our origin, e.g. an uploaded .html or .svg.
            response.setContentType(image ? download.rendition().contentType()
                    : FileTypes.safe(download.rendition().contentType()));
            response.setContentLengthLong(object.size());
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, (image ? ContentDisposition.inline() : ContentDisposition.attachment())
                    .filename(FileNames.forVariant(download.row().fileName(), download.variant(),
                            download.rendition().contentType()), StandardCharsets.UTF_8)
                    .build().toString());
            try (InputStream in = object.content()) {
                OutputStream out = response.getOutputStream();
                in.transferTo(out);
                out.flush();
            }
        }
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag) || tag.equals("*")) {
                return true;
            }
        }
        return false;
    }
}
