package app.confab.platform;

import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.Metrics;

/**
 * Times every Redis command into {@code lettuce_command_completion_seconds} and
 * {@code lettuce_command_firstresponse_seconds} (by command type and server), through Micrometer's
 * global registry, which Spring Boot feeds into the Prometheus one.
 *
 * <p>Histogram buckets only, no client-side percentiles: Micrometer computes those with HdrHistogram,
 * which the server jar does not carry (it is the load tool's, test scope). With Lettuce's default
 * percentiles the first timed command threw {@code NoClassDefFoundError: org/HdrHistogram/DoubleRecorder}
 * on the Netty thread, inside the connection handshake, so every connect and subscribe of the bus
 * failed ({@code redis_bus_errors_total{operation="subscribe"}}, {@code dependency_up{redis} 0}) —
 * in the jar only, since tests have HdrHistogram on their classpath. Buckets aggregate across nodes
 * anyway ({@code histogram_quantile}), percentiles do not. And a recorder must never break Redis:
 * {@link #latencyRecorder()} stops recording, with one warning, on any failure of its own.
 */
public final class LettuceMetrics {

    private static volatile ClientResources shared;

    private static final CommandLatencyRecorder RECORDER = guarded(new MicrometerCommandLatencyRecorder(
            Metrics.globalRegistry, options()));

    private LettuceMetrics() {
    }

    /** Buckets (histogram), no percentiles: nothing that needs HdrHistogram. */
    static MicrometerOptions options() {
        return MicrometerOptions.builder().histogram(true).targetPercentiles(new double[0]).build();
    }

    /** The recorder to put into a client's own resources (e.g. with a custom reconnect delay). */
    public static CommandLatencyRecorder latencyRecorder() {
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

    /**
     * {@code delegate}, except that its first failure (an exception or a linkage error) turns it off
     * instead of reaching Lettuce's command handler, which would fail the command or the connection.
     */
    static CommandLatencyRecorder guarded(CommandLatencyRecorder delegate) {
        return new CommandLatencyRecorder() {
            private final AtomicBoolean broken = new AtomicBoolean();

            @Override
            public void recordCommandLatency(SocketAddress local, SocketAddress remote, ProtocolKeyword commandType,
                                             long firstResponseLatency, long completionLatency) {
                if (broken.get()) {
                    return;
                }
                try {
                    delegate.recordCommandLatency(local, remote, commandType, firstResponseLatency, completionLatency);
                } catch (RuntimeException | LinkageError e) {
                    if (broken.compareAndSet(false, true)) {
                        Holder.LOG.warn("Redis command latency metrics are off: recording failed ({})", e.toString());
                    }
                }
            }

            @Override
            public boolean isEnabled() {
                return !broken.get() && delegate.isEnabled();
            }
        };
    }

    private static final class Holder {
        static final Logger LOG = LoggerFactory.getLogger(LettuceMetrics.class);
    }
}
