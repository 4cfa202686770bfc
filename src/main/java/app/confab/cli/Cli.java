package app.confab.cli;

import java.util.Arrays;

import org.slf4j.LoggerFactory;

/** Command-line verbs of {@code java -jar confab.jar VERB ...}; the server starts when there is none. */
public final class Cli {

    private Cli() {
    }

    /** Runs {@code admin ...}; returns the process exit code. */
    public static int admin(String[] args) {
        quietLogs();
        return AdminCommands.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err);
    }

    /** Library logs (embedded PostgreSQL, Flyway) would bury the command's own output. */
    private static void quietLogs() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
