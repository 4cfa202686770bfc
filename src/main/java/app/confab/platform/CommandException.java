package app.confab.platform;

/** A command-line verb's failure: the message is for the operator, the code is the exit status. */
public class CommandException extends RuntimeException {

    private final int exitCode;

    public CommandException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
