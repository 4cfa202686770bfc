package app.confab.platform.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * DATABASE_URL with another scheme (mysql://…), a garbled REDIS_URL, a JWT secret shorter than 32
 * bytes…: one line saying which variable, what is wrong and a right value, instead of the cause at
 * the end of a bean-creation chain.
 */
public class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> implements Ordered {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
        return new FailureAnalysis(
                "Invalid setting " + cause.variable() + ": " + cause.problem(),
                "Set " + cause.variable() + " to a valid value, for example " + cause.example(),
                cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
