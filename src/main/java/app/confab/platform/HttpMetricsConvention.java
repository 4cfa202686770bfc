package app.confab.platform;

import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * Records Spring MVC's per-request observation as docs/subsystems/operations.md, "Metrics", names it:
 * {@code http_request_duration_seconds{method, route, status_code}} instead of Micrometer's
 * {@code http_server_requests_seconds{method, uri, status, outcome, exception}}, so the documented
 * dashboards and alerts work unchanged. {@code route} is the matched route template
 * ({@code /api/chats/{id}}), never the raw path, which keeps the number of series bounded.
 * The buckets are set in application.yml ({@code management.metrics.distribution.slo}).
 */
@Component
public class HttpMetricsConvention extends DefaultServerRequestObservationConvention {

    public HttpMetricsConvention() {
        super("http.request.duration");
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
        return KeyValues.of(
                KeyValue.of("method", method(context).getValue()),
                KeyValue.of("route", uri(context).getValue()),
                KeyValue.of("status_code", status(context).getValue()));
    }
}
