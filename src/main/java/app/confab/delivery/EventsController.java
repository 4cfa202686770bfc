package app.confab.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import app.confab.platform.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import app.confab.platform.AuthenticatedUser;
import tools.jackson.databind.JsonNode;
import app.confab.stream.Cursors;

/** {@code GET /api/events}: long-poll fallback and catch-up (docs/PROTOCOL.md). */
@RestController
class EventsController {

    private final LongPollService longPoll;
    private final Clock clock;
    private final Frames frames;
    private final DeliverySettings settings;

    EventsController(LongPollService longPoll, Frames frames, DeliverySettings settings, Clock clock) {
        this.clock = clock;
        this.longPoll = longPoll;
        this.frames = frames;
        this.settings = settings;
    }

    /** The same event objects the WebSocket sends, and the cursor to ask with next time. */
    record EventsResponse(List<JsonNode> events, String cursor) {
    }

    @GetMapping("/api/events")
    @Operation(summary = "Long-poll: the caller's events after a cursor, waiting up to timeout seconds for some",
            description = "Without a cursor: no events and the current position. Events are the WebSocket's frames "
                    + "(docs/PROTOCOL.md); ask again with the returned cursor.")
    EventsResponse events(@Parameter(hidden = true) AuthenticatedUser user,
                          @RequestParam(name = "cursor", required = false) String cursor,
                          @RequestParam(name = "timeout", required = false) String timeout,
                          @Parameter(hidden = true)
                          @RequestAttribute(name = AuthenticatedUser.EXPIRES_AT_ATTRIBUTE, required = false)
                          Instant tokenExpiresAt) throws InterruptedException {
        Long after = Cursors.parse(cursor);
        Duration wait = timeout(timeout);
        // A waiting poll ends with its access token, as a socket does (4401): it never outlives it.
        Duration tokenLeft = tokenExpiresAt == null ? null : Duration.between(clock.instant(), tokenExpiresAt);
        if (tokenLeft != null && tokenLeft.compareTo(wait) < 0) {
            wait = tokenLeft.isNegative() ? Duration.ZERO : tokenLeft;
        }
        LongPollService.Result result = longPoll.poll(user.userId(), user.sessionId(), after, wait);
        if (result.events().isEmpty() && tokenExpiresAt != null && !clock.instant().isBefore(tokenExpiresAt)) {
            throw ApiException.unauthorized("Access token expired; refresh it");
        }
        List<JsonNode> events = result.events().stream().map(delivery -> frames.parse(delivery.frame())).toList();
        return new EventsResponse(events, Long.toString(result.cursor()));
    }

    /** Seconds, 0 up to the maximum (larger values are capped); absent: the default. */
    private Duration timeout(String value) {
        if (value == null) {
            return settings.longPollTimeout();
        }
        if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.validation("timeout", "Must be a whole number of seconds from 0 to "
                    + settings.longPollMaxTimeout().toSeconds());
        }
        Duration requested = Duration.ofSeconds(Long.parseLong(value));
        return requested.compareTo(settings.longPollMaxTimeout()) > 0 ? settings.longPollMaxTimeout() : requested;
    }
}
