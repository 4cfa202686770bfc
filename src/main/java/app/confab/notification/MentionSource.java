package app.confab.notification;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/**
 * Who a message mentions, from the message's stored {@code mentions} (user ids the message feature
 * parsed when it was sent or edited) and {@code mentions_everyone} columns. The push tail and the
 * digest job read those columns as they are: no JSON is built in SQL per message only to be
 * parsed again here, and no text is parsed a second time with rules that could differ.
 */
interface MentionSource {

    /** The mentioned members among {@code members} (user id → username). */
    Set<UUID> mentioned(Collection<UUID> mentions, boolean everyone, Map<UUID, String> members);

    @Component
    class Default implements MentionSource {

        @Override
        public Set<UUID> mentioned(Collection<UUID> mentions, boolean everyone, Map<UUID, String> members) {
            // @here/@all in a group names every member.
            if (everyone) {
                return Set.copyOf(members.keySet());
            }
            if (mentions == null || mentions.isEmpty()) {
                return Set.of();
            }
            return mentions.stream().filter(members::containsKey).collect(Collectors.toUnmodifiableSet());
        }
    }
}
