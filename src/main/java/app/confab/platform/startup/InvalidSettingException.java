package app.confab.platform.startup;

/**
 * A deployment setting (an environment variable) has a value the server cannot use. Thrown while
 * the settings are read, before anything connects anywhere, and turned into one line naming the
 * variable, the problem and a right value by {@link InvalidSettingFailureAnalyzer}.
 */
public class InvalidSettingException extends RuntimeException {

    private final String variable;
    private final String problem;
    private final String example;

    public InvalidSettingException(String variable, String problem, String example) {
        super(variable + ": " + problem);
        this.variable = variable;
        this.problem = problem;
        this.example = example;
    }

    public String variable() {
        return variable;
    }

    public String problem() {
        return problem;
    }

    public String example() {
        return example;
    }
}
