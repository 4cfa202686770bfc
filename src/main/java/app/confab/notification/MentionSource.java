package app.confab.notification;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Who a message mentions. The repository hands over the message's stored {@code mentions} (user
 * ids parsed by the message feature when it was sent or edited) and {@code mentionsEveryone}
 * inside the metadata JSON; a metadata without them (a message stored before mentions existed) is
 * read for {@code @username} against the chat's members, so notifications work either way.
 */
interface MentionSource {

    /** The mentioned members among {@code members} (user id → username). */
    Set<UUID> mentioned(String content, String metadataJson, java.util.Map<UUID, String> members);

    @Component
    class Default implements MentionSource {

        private static final Pattern AT = Pattern.compile("(?<![\\p{L}\\p{N}_.])@([\\p{L}\\p{N}_.-]{1,50})");

        private final ObjectMapper json;

        Default(ObjectMapper json) {
            this.json = json;
        }

        @Override
        public Set<UUID> mentioned(String content, String metadataJson, java.util.Map<UUID, String> members) {
            if (mentionsEveryone(metadataJson)) {
                return Set.copyOf(members.keySet());
            }
            Set<UUID> structured = structured(metadataJson);
            if (structured != null) {
                return structured.stream().filter(members::containsKey).collect(Collectors.toSet());
            }
            if (content == null || content.indexOf('@') < 0) {
                return Set.of();
            }
            Set<String> names = new java.util.HashSet<>();
            Matcher m = AT.matcher(content);
            while (m.find()) {
                // "@bob." at the end of a sentence names bob.
                names.add(m.group(1).replaceAll("[.-]+$", "").toLowerCase(Locale.ROOT));
            }
            return members.entrySet().stream()
                    .filter(e -> e.getValue() != null && names.contains(e.getValue().toLowerCase(Locale.ROOT)))
                    .map(java.util.Map.Entry::getKey)
                    .collect(Collectors.toSet());
        }

        /** {@code @here}/{@code @all} in a group (the message's {@code mentions_everyone}). */
        private boolean mentionsEveryone(String metadataJson) {
            if (metadataJson == null || metadataJson.isBlank()) {
                return false;
            }
            try {
                JsonNode everyone = json.readTree(metadataJson).get("mentionsEveryone");
                return everyone != null && everyone.asBoolean(false);
            } catch (RuntimeException e) {
                return false;
            }
        }

        private Set<UUID> structured(String metadataJson) {
            if (metadataJson == null || metadataJson.isBlank()) {
                return null;
            }
            try {
                JsonNode mentions = json.readTree(metadataJson).get("mentions");
                if (mentions == null || !mentions.isArray()) {
                    return null;
                }
                Set<UUID> ids = new java.util.HashSet<>();
                for (JsonNode item : mentions) {
                    JsonNode id = item.isObject() ? item.get("userId") : item;
                    if (id != null && id.isString()) {
                        try {
                            ids.add(UUID.fromString(id.asString()));
                        } catch (IllegalArgumentException ignored) {
                            // Not a user id: not a mention.
                        }
                    }
                }
                return ids;
            } catch (RuntimeException e) {
                return null;
            }
        }

        static Set<UUID> ids(Collection<UUID> ids) {
            return Set.copyOf(ids);
        }
    }
}
