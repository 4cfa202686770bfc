package app.confab.platform;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses the console log format before logging starts: one JSON object per line (Spring Boot's
 * structured logging, Logstash layout, field names set in application.yml) when
 * {@code LOG_FORMAT=json} or when the output is not a terminal — a container, a service manager,
 * a pipe — and the usual human-readable lines when {@code LOG_FORMAT=text} or in a terminal.
 * An explicit {@code logging.structured.format.console} setting wins over both.
 */
public class LogFormat implements EnvironmentPostProcessor {

    static final String STRUCTURED_FORMAT = "logging.structured.format.console";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String requested = environment.getProperty("LOG_FORMAT", "").trim().toLowerCase(Locale.ROOT);
        boolean json = switch (requested) {
            case "json" -> true;
            case "text", "plain" -> false;
            default -> !runningInTerminal();
        };
        if (json) {
            environment.getPropertySources().addLast(
                    new MapPropertySource("confabLogFormat", Map.of(STRUCTURED_FORMAT, "logstash")));
        }
    }

    /** Whether stdin and stdout are a terminal (JDK 22+ has Console.isTerminal; on 21 a console exists only then). */
    static boolean runningInTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
