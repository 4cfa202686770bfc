package app.confab.attachment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Every ten minutes: removes uploads never sent and files of deleted messages not yet removed. */
@Component
class AttachmentCleanup {

    private static final Logger log = LoggerFactory.getLogger(AttachmentCleanup.class);

    private final AttachmentService attachments;

    AttachmentCleanup(AttachmentService attachments) {
        this.attachments = attachments;
    }

    @Scheduled(initialDelayString = "PT2M", fixedDelayString = "PT10M")
    void run() {
        try {
            int removed = attachments.sweep();
            if (removed > 0) {
                log.info("Removed {} attachments", removed);
            }
        } catch (RuntimeException e) {
            log.warn("Attachment cleanup failed; will retry", e);
        }
    }
}
