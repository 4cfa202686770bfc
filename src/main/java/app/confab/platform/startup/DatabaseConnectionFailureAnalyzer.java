package app.confab.platform.startup;

import java.net.ConnectException;
import java.net.UnknownHostException;

import org.postgresql.util.PSQLException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * The server named by DATABASE_URL refused us at start: nothing listens on that host and port, the
 * host does not resolve, the role or database does not exist, or the password is wrong. PostgreSQL's
 * own sentence (which names the host, role or database) plus what to change.
 */
public class DatabaseConnectionFailureAnalyzer extends AbstractFailureAnalyzer<PSQLException> implements Ordered {

    static final String EXAMPLE = "postgresql://confab:secret@db.internal:5432/confab";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PSQLException cause) {
        String state = cause.getSQLState() == null ? "" : cause.getSQLState();
        String problem;
        String action;
        if (findCause(cause, UnknownHostException.class) != null) {
            problem = "the database host does not resolve (" + firstSentence(cause.getMessage()) + ")";
            action = "Fix the host name in DATABASE_URL, for example " + EXAMPLE;
        } else if (findCause(cause, ConnectException.class) != null || state.startsWith("08")) {
            problem = "cannot connect to the database: " + firstSentence(cause.getMessage());
            action = "Check the host and port in DATABASE_URL and that PostgreSQL is running there, for example " + EXAMPLE;
        } else if ("28000".equals(state) || "28P01".equals(state)) {
            problem = "the database refused the credentials: " + serverMessage(cause);
            action = "Put an existing role and its password in DATABASE_URL (CREATE ROLE confab LOGIN PASSWORD '…'), for example "
                    + EXAMPLE;
        } else if ("3D000".equals(state)) {
            problem = "the database does not exist: " + serverMessage(cause);
            action = "Create it (CREATE DATABASE confab OWNER confab) or name an existing one in DATABASE_URL, for example "
                    + EXAMPLE;
        } else {
            return null;
        }
        return new FailureAnalysis("Invalid setting DATABASE_URL: " + problem, action, cause);
    }

    private static String serverMessage(PSQLException e) {
        return e.getServerErrorMessage() != null && e.getServerErrorMessage().getMessage() != null
                ? e.getServerErrorMessage().getMessage() : firstSentence(e.getMessage());
    }

    private static String firstSentence(String message) {
        if (message == null) {
            return "no details";
        }
        int end = message.indexOf(". ");
        return end > 0 ? message.substring(0, end) : message;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
