package app.confab.platform;

import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.Metrics;

/**
 * Lettuce client resources that time every Redis command into
 * {@code lettuce_command_completion_seconds} and {@code lettuce_command_firstresponse_seconds}
 * (by command type and server), through Micrometer's global registry, which Spring Boot feeds into
 * the Prometheus one. One instance per process: Lettuce's event loops are meant to be shared.
 */
public final class LettuceMetrics {

    private static volatile ClientResources shared;

    private static final MicrometerCommandLatencyRecorder RECORDER = new MicrometerCommandLatencyRecorder(
            Metrics.globalRegistry, MicrometerOptions.builder().histogram(true).build());

    private LettuceMetrics() {
    }

    /** The recorder to put into a client's own resources (e.g. with a custom reconnect delay). */
    public static MicrometerCommandLatencyRecorder latencyRecorder() {
        return RECORDER;
    }

    public static ClientResources clientResources() {
        ClientResources current = shared;
        if (current == null) {
            synchronized (LettuceMetrics.class) {
                current = shared;
                if (current == null) {
                    current = DefaultClientResources.builder()
                            .commandLatencyRecorder(RECORDER)
                            .build();
                    shared = current;
                }
            }
        }
        return current;
    }
}
