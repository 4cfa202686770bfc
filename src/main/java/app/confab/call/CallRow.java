package app.confab.call;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A call as stored, with its participants (caller first). */
record CallRow(UUID id, UUID chatId, UUID callerId, boolean video, String state, String outcome, Instant createdAt,
               Instant ringUntil, Instant answeredAt, Instant endedAt, List<Participant> participants) {

    record Participant(UUID userId, String state) {
    }

    boolean isEnded() {
        return "ended".equals(state);
    }

    Participant participant(UUID userId) {
        return participants.stream().filter(p -> p.userId().equals(userId)).findFirst().orElse(null);
    }

    List<UUID> everyone() {
        return participants.stream().map(Participant::userId).toList();
    }

    List<UUID> inState(String participantState) {
        return participants.stream().filter(p -> p.state().equals(participantState)).map(Participant::userId).toList();
    }
}
