package app.confab.attachment;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import app.confab.membership.ChatAccess;
import app.confab.platform.ApiException;
import app.confab.platform.ErrorCode;

/**
 * The rules of image sharing: what may be uploaded, who may see or delete a file, how uploads are
 * linked to messages, and when files go away. See docs/subsystems/attachments.md.
 */
@Service
class AttachmentService implements MessageAttachments, StoredFiles {

    private static final Logger log = LoggerFactory.getLogger(AttachmentService.class);

    static final int MAX_FILES_PER_UPLOAD = 5;
    static final int MAX_IMAGES_PER_MESSAGE = 10;
    static final Duration UNATTACHED_RETENTION = Duration.ofHours(24);
    private static final int SWEEP_BATCH = 500;

    private final ImageProcessor images;
    private final ObjectStore store;
    private final AttachmentRepository repository;
    private final ChatAccess access;
    private final UrlSigner signer;
    private final Clock clock;
    private final UploadLimits limits;
    private final DecodeBudget decodeBudget;
    private final StorageQuota quota;
    private final long ceilingBytes;

    AttachmentService(ImageProcessor images, ObjectStore store, AttachmentRepository repository, UrlSigner signer,
                      Clock clock, UploadLimits limits, DecodeBudget decodeBudget, StorageQuota quota,
                      AttachmentSettings settings, ChatAccess access) {
        this.access = access;
        this.ceilingBytes = settings.maxFileMb() * 1024L * 1024L;
        this.limits = limits;
        this.images = images;
        this.store = store;
        this.repository = repository;
        this.signer = signer;
        this.clock = clock;
        this.decodeBudget = decodeBudget;
        this.quota = quota;
    }

    /** The largest file accepted now: the administrator's limit, never above the server's own (MAX_FILE_MB). */
    long maxFileBytes() {
        return Math.min(ceilingBytes, limits.maxFileBytes());
    }

    /**
     * One file of an upload request, as received. {@code imageOnly}: sent as {@code images}, so it must
     * be an image; sent as {@code files}, it may be anything (an image among them is still processed
     * and validated as one).
     */
    record UploadedFile(String fileName, byte[] bytes, boolean imageOnly) {
        UploadedFile(String fileName, byte[] bytes) {
            this(fileName, bytes, true);
        }

        boolean isImage() {
            return imageOnly || ImageFormat.sniff(bytes).isPresent();
        }
    }

    /** A variant of an image the caller may fetch. */
    record Download(AttachmentRow row, Variant variant, String etag) {
        AttachmentRow.Rendition rendition() {
            return row.rendition(variant);
        }
    }

    /**
     * Validates and processes every file first and stores them only if all are acceptable, so an
     * upload either fully succeeds or leaves nothing behind.
     */
    List<AttachmentView> upload(UUID uploaderId, List<UploadedFile> files) {
        if (files.isEmpty()) {
            throw ApiException.validation("images",
                    "At least one file is required (multipart field 'images' or 'files')");
        }
        if (files.size() > MAX_FILES_PER_UPLOAD) {
            throw ApiException.validation("images",
                    "At most " + MAX_FILES_PER_UPLOAD + " images or files per upload; got " + files.size());
        }
        try (DecodeBudget.Slot ignored = decodeBudget.enter(uploaderId)) {
            return decodeAndStore(uploaderId, files);
        }
    }

    private List<AttachmentView> decodeAndStore(UUID uploaderId, List<UploadedFile> files) {
        // Cheap refusals first, from the upload's size and the images' headers, before any decoding.
        StorageQuota.Room room = quota.reserve(uploaderId, files.stream().mapToLong(file -> file.bytes().length).sum());
        decodeBudget.spend(uploaderId, files.stream()
                .filter(file -> file.bytes().length <= maxFileBytes() && file.isImage())
                .mapToLong(file -> Math.min(images.announcedPixels(file.bytes()), ImageProcessor.MAX_PIXELS))
                .sum());
        // One entry per file: the processed image, or null for a file kept as uploaded.
        List<ImageProcessor.ProcessedImage> processed = new ArrayList<>();
        List<ApiException.FieldError> refusals = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            UploadedFile file = files.get(i);
            String field = (file.imageOnly() ? "images[" : "files[") + i + "]";
            try {
                long maxBytes = maxFileBytes();
                if (file.bytes().length > maxBytes) {
                    throw new ImageRejectedException("is larger than " + maxBytes / (1024 * 1024) + " MB");
                }
                if (file.isImage()) {
                    processed.add(images.process(file.bytes()));
                } else if (file.bytes().length == 0) {
                    throw new ImageRejectedException("is empty");
                } else {
                    processed.add(null);
                }
            } catch (ImageRejectedException e) {
                refusals.add(new ApiException.FieldError(field, file.fileName() + " " + e.getMessage()));
            }
        }
        if (!refusals.isEmpty()) {
            String noun = files.stream().allMatch(UploadedFile::imageOnly) ? "Image" : "File";
            String message = refusals.size() == 1
                    ? noun + " refused: " + refusals.getFirst().message()
                    : refusals.size() + " " + noun.toLowerCase(java.util.Locale.ROOT) + "s refused: "
                    + String.join("; ", refusals.stream().map(ApiException.FieldError::message).toList());
            throw new ApiException(ErrorCode.VALIDATION_ERROR, message, refusals, null);
        }
        long storedBytes = 0;
        for (int i = 0; i < files.size(); i++) {
            ImageProcessor.ProcessedImage image = processed.get(i);
            storedBytes += image == null ? files.get(i).bytes().length : image.original().bytes().length
                    + image.medium().bytes().length + image.thumbnail().bytes().length;
        }
        room.require(storedBytes);
        List<AttachmentView> views = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            UploadedFile file = files.get(i);
            AttachmentRow row = processed.get(i) == null
                    ? storeFile(uploaderId, file.fileName(), file.bytes())
                    : store(uploaderId, file.fileName(), processed.get(i));
            repository.insert(row);
            views.add(view(row));
        }
        return views;
    }

    /** A file that is not an image: kept byte for byte, with the safe content type its name suggests. */
    private AttachmentRow storeFile(UUID uploaderId, String fileName, byte[] bytes) {
        UUID id = UUID.randomUUID();
        // The object key never carries the user's name or extension: "original.bin" for every file.
        String key = id.toString().substring(0, 2) + "/" + id + "/original.bin";
        AttachmentRow row = new AttachmentRow(id, uploaderId, null, null, fileName,
                new AttachmentRow.Rendition(key, FileTypes.forName(fileName), bytes.length, 0, 0), null, null,
                clock.instant());
        try {
            store.put(key, bytes, row.original().contentType());
        } catch (IOException e) {
            log.error("Could not store attachment {} in {} storage", id, store.kind(), e);
            removeObjects(row);
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "File storage is unavailable; try again later");
        }
        return row;
    }

    private AttachmentRow store(UUID uploaderId, String fileName, ImageProcessor.ProcessedImage image) {
        UUID id = UUID.randomUUID();
        // Keys spread over 256 directories; each object is written once and never changed.
        String prefix = id.toString().substring(0, 2) + "/" + id + "/";
        AttachmentRow row = new AttachmentRow(id, uploaderId, null, null, fileName,
                rendition(prefix + "original." + image.format().extension(), image.original()),
                rendition(prefix + "medium." + extension(image.medium()), image.medium()),
                rendition(prefix + "thumbnail." + extension(image.thumbnail()), image.thumbnail()),
                clock.instant());
        try {
            store.put(row.original().key(), image.original().bytes(), row.original().contentType());
            store.put(row.medium().key(), image.medium().bytes(), row.medium().contentType());
            store.put(row.thumbnail().key(), image.thumbnail().bytes(), row.thumbnail().contentType());
        } catch (IOException e) {
            log.error("Could not store attachment {} in {} storage", id, store.kind(), e);
            removeObjects(row);
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "File storage is unavailable; try again later");
        }
        return row;
    }

    private static AttachmentRow.Rendition rendition(String key, ImageProcessor.Rendition image) {
        return new AttachmentRow.Rendition(key, image.contentType(), image.bytes().length, image.width(), image.height());
    }

    private static String extension(ImageProcessor.Rendition rendition) {
        return ImageFormat.PNG.mimeType().equals(rendition.contentType()) ? "png" : "jpg";
    }

    /** The caller's view of a file: members of its chat, or its uploader before it is sent. Anyone else: 404. */
    Download download(UUID id, Variant variant, UUID userId) {
        AttachmentRow row = repository.find(id).orElseThrow(AttachmentService::notFound);
        if (!canRead(row, userId) || row.rendition(variant) == null) {
            throw notFound();
        }
        return new Download(row, variant, etag(row, variant));
    }

    /**
     * A file through a signed link, for a reader without a token. The signature stands for the
     * member check made when the link was issued, for the link's short life; the file and its chat
     * are checked again at every use, so a deleted chat's or message's files stop answering at once.
     */
    Download signedDownload(UUID id, Variant variant, Long expiry, String signature) {
        switch (signer.verify(id, variant, expiry, signature)) {
            case EXPIRED -> throw ApiException.forbidden("This image link has expired; reload to get a fresh one");
            case INVALID -> throw ApiException.forbidden("This image link is not valid");
            case VALID -> {
            }
        }
        AttachmentRow row = repository.findServable(id)
                .filter(found -> found.rendition(variant) != null)
                .orElseThrow(AttachmentService::notFound);
        return new Download(row, variant, etag(row, variant));
    }

    ObjectStore.StoredObject open(Download download) {
        try {
            return store.open(download.rendition().key()).orElseThrow(AttachmentService::notFound);
        } catch (IOException e) {
            log.error("Could not read attachment {} from {} storage", download.row().id(), store.kind(), e);
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "File storage is unavailable; try again later");
        }
    }

    /**
     * Copies a stored object (an attachment's original, by its storage key) to {@code out}; false
     * when it is missing. For data exports.
     */
    @Override
    public boolean copyStored(String storageKey, java.io.OutputStream out) throws IOException {
        Optional<ObjectStore.StoredObject> object = store.open(storageKey);
        if (object.isEmpty()) {
            return false;
        }
        try (ObjectStore.StoredObject stored = object.get()) {
            stored.content().transferTo(out);
        }
        return true;
    }

    long signedSecondsLeft(long expiry) {
        return signer.secondsLeft(expiry);
    }

    /**
     * The uploader withdraws an upload that has not been sent. A sent image belongs to its message
     * (every member has seen it arrive), so it goes only with the message: deleting it alone is a 409.
     */
    void delete(UUID id, UUID userId) {
        AttachmentRow row = repository.find(id).orElseThrow(AttachmentService::notFound);
        if (!userId.equals(row.uploaderId())) {
            if (canRead(row, userId)) {
                throw ApiException.forbidden("Only the uploader can delete an image");
            }
            throw notFound();
        }
        if (row.isAttached() || !repository.markDeletedIfUnattached(id, clock.instant())) {
            throw ApiException.conflict("This image was sent in a message; delete the message to remove it");
        }
        purge(List.of(row));
    }

    private boolean canRead(AttachmentRow row, UUID userId) {
        if (!row.isAttached()) {
            return userId.equals(row.uploaderId());
        }
        return row.chatId() != null && access.isActiveMember(row.chatId(), userId);
    }

    @Override
    @Transactional
    public List<AttachmentView> attach(UUID uploaderId, UUID chatId, UUID messageId, List<UUID> attachmentIds) {
        if (attachmentIds == null || attachmentIds.isEmpty()) {
            return List.of();
        }
        if (attachmentIds.stream().anyMatch(Objects::isNull)) {
            throw ApiException.validation("attachmentIds", "Must not contain null");
        }
        List<UUID> ids = List.copyOf(new LinkedHashSet<>(attachmentIds));
        if (ids.size() > MAX_IMAGES_PER_MESSAGE) {
            throw ApiException.validation("attachmentIds", "At most " + MAX_IMAGES_PER_MESSAGE + " attachments per message");
        }
        List<UUID> available = repository.lockUnattached(uploaderId, ids);
        if (available.size() != ids.size()) {
            List<UUID> unavailable = ids.stream().filter(id -> !available.contains(id)).toList();
            throw ApiException.validation("attachmentIds",
                    "Unknown, not your upload, or already sent: " + unavailable);
        }
        for (int i = 0; i < ids.size(); i++) {
            repository.link(ids.get(i), messageId, chatId, i);
        }
        return forMessages(List.of(messageId)).getOrDefault(messageId, List.of());
    }

    @Override
    public Map<UUID, List<AttachmentView>> forMessages(Collection<UUID> messageIds) {
        if (messageIds == null || messageIds.isEmpty()) {
            return Map.of();
        }
        Map<UUID, List<AttachmentView>> byMessage = new LinkedHashMap<>();
        for (AttachmentRow row : repository.findByMessages(messageIds)) {
            byMessage.computeIfAbsent(row.messageId(), key -> new ArrayList<>()).add(view(row));
        }
        return byMessage;
    }

    /**
     * Marks the message's files inside the caller's transaction; the objects are removed once it
     * commits. If that removal fails (or the node dies first), the cleanup job finishes it.
     */
    @Override
    @Transactional
    public void messageDeleted(UUID messageId) {
        List<AttachmentRow> doomed = repository.markDeletedForMessage(messageId, clock.instant());
        if (doomed.isEmpty()) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    purge(doomed);
                }
            });
        } else {
            purge(doomed);
        }
    }

    /**
     * The cleanup job: uploads never sent within {@link #UNATTACHED_RETENTION} and files of deleted
     * chats are marked, then every
     * marked row's objects are deleted and the row with them. Idempotent, so nodes may overlap.
     *
     * @return how many files were removed
     */
    int sweep() {
        Instant now = clock.instant();
        int expired = repository.markExpiredUploads(now.minus(UNATTACHED_RETENTION), now, SWEEP_BATCH);
        if (expired > 0) {
            log.info("Expiring {} uploads never attached to a message", expired);
        }
        int ofDeletedChats = repository.markFilesOfDeletedChats(now, SWEEP_BATCH);
        if (ofDeletedChats > 0) {
            log.info("Removing {} files of deleted chats", ofDeletedChats);
        }
        return purge(repository.findMarkedDeleted(SWEEP_BATCH));
    }

    private int purge(List<AttachmentRow> rows) {
        int removed = 0;
        for (AttachmentRow row : rows) {
            if (removeObjects(row)) {
                repository.deleteRow(row.id());
                removed++;
            }
        }
        return removed;
    }

    private boolean removeObjects(AttachmentRow row) {
        boolean all = true;
        for (String key : row.objectKeys()) {
            try {
                store.delete(key);
            } catch (IOException | RuntimeException e) {
                log.warn("Could not delete object {} of attachment {}; will retry", key, row.id(), e);
                all = false;
            }
        }
        return all;
    }

    private AttachmentView view(AttachmentRow row) {
        if (!row.isImage()) {
            return new AttachmentView(row.id(), AttachmentView.FILE, row.fileName(), row.original().contentType(),
                    row.original().contentType(), row.original().size(), null, null,
                    signer.url(row.id(), Variant.ORIGINAL), null, null);
        }
        return new AttachmentView(row.id(), AttachmentView.IMAGE, row.fileName(), row.original().contentType(),
                row.original().contentType(), row.original().size(), row.original().width(), row.original().height(),
                signer.url(row.id(), Variant.ORIGINAL),
                signer.url(row.id(), Variant.THUMBNAIL),
                signer.url(row.id(), Variant.MEDIUM));
    }

    private static String etag(AttachmentRow row, Variant variant) {
        return "\"" + row.id() + "-" + variant.pathName() + "\"";
    }

    private static ApiException notFound() {
        return ApiException.notFound("Attachment");
    }
}
