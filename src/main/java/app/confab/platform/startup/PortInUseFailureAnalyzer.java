package app.confab.platform.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;

/** Spring Boot's own answer, but naming the PORT variable that sets it. */
public class PortInUseFailureAnalyzer extends AbstractFailureAnalyzer<PortInUseException> implements Ordered {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PortInUseException cause) {
        return new FailureAnalysis(
                "Invalid setting PORT: port " + cause.getPort() + " is already in use by another process",
                "Stop the other process, or set PORT to a free port, for example PORT=" + (cause.getPort() == 8080 ? 8081 : 8080),
                cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
