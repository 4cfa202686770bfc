package app.confab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

import app.confab.backup.BackupArchive;
import app.confab.backup.BackupSettings;
import app.confab.platform.CommandException;

/**
 * The command-line verbs of {@code java -jar confab.jar VERB ...} (docs/OPERATIONS.md).
 * Each runs against the same DATA_DIR / DATABASE_URL as the server and ends the process with its
 * exit status; anything else (no arguments, or Spring's {@code --name=value} options) starts the
 * server. New verbs are one more case in {@link #run}.
 */
public final class ConfabCommands {

    private ConfabCommands() {
    }

    /** The verb's exit status, or empty when the arguments are not a verb (then the server starts). */
    public static OptionalInt run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        String verb = args.length == 0 ? "" : args[0];
        try {
            return switch (verb) {
                case "backup" -> OptionalInt.of(backup(args, environment, out));
                case "restore" -> OptionalInt.of(restore(args, environment, out));
                case "admin" -> OptionalInt.of(Cli.admin(args));
                case "help", "--help", "-h" -> {
                    out.println(usage());
                    yield OptionalInt.of(0);
                }
                default -> OptionalInt.empty();
            };
        } catch (CommandException e) {
            err.println("confab " + verb + ": " + e.getMessage());
            return OptionalInt.of(e.exitCode());
        } catch (RuntimeException e) {
            err.println("confab " + verb + " failed: " + e);
            return OptionalInt.of(1);
        }
    }

    private static int backup(String[] args, Map<String, String> environment, PrintStream out) {
        Path to = Path.of(requiredOption(args, "--to", "backup --to FILE"));
        new BackupArchive(BackupSettings.from(environment), out).backup(to);
        return 0;
    }

    private static int restore(String[] args, Map<String, String> environment, PrintStream out) {
        Path from = Path.of(requiredOption(args, "--from", "restore --from FILE"));
        new BackupArchive(BackupSettings.from(environment), out).restore(from);
        return 0;
    }

    /** The value of {@code --name VALUE} or {@code --name=VALUE}; a usage error without it. */
    static String requiredOption(String[] args, String name, String usage) {
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals(name) && i + 1 < args.length && !args[i + 1].isBlank()) {
                return args[i + 1];
            }
            if (args[i].startsWith(name + "=") && args[i].length() > name.length() + 1) {
                return args[i].substring(name.length() + 1);
            }
        }
        throw new CommandException(64, "usage: java -jar confab.jar " + usage + "\n" + usage());
    }

    static String usage() {
        return """
                Usage: java -jar confab.jar [VERB]
                  (no verb)              run the server
                  backup --to FILE       write a consistent archive of the database and stored files
                  restore --from FILE    restore an archive into an empty DATA_DIR or empty database
                  admin grant USERNAME   make an account an administrator (and active)
                  admin reset-password USERNAME
                                         end the account's sessions, print a one-time password
                Configuration comes from the environment: DATA_DIR, DATABASE_URL, S3_ENDPOINT, S3_BUCKET.""";
    }
}
