package app.confab.attachment;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import app.confab.platform.ApiException;

/** Placeholder until the attachment feature provides its own {@link MessageAttachments}. */
@Configuration(proxyBeanMethods = false)
class NoAttachments {

    @Bean
    @ConditionalOnMissingBean(MessageAttachments.class)
    MessageAttachments messageAttachments() {
        return new MessageAttachments() {
            @Override
            public List<AttachmentView> attach(UUID uploaderId, UUID chatId, UUID messageId, List<UUID> attachmentIds) {
                if (attachmentIds != null && !attachmentIds.isEmpty()) {
                    throw ApiException.validation("attachmentIds", "Unknown attachment");
                }
                return List.of();
            }

            @Override
            public Map<UUID, List<AttachmentView>> forMessages(Collection<UUID> messageIds) {
                return Map.of();
            }

            @Override
            public void messageDeleted(UUID messageId) {
            }
        };
    }
}
