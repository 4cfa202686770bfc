package app.confab;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

import app.confab.cli.Cli;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ConfabApplication {

    /** {@code java -jar confab.jar [VERB ...]}: a command-line verb, or the server when there is none. */
    public static void main(String[] args) {
        String verb = args.length == 0 ? "" : args[0];
        switch (verb) {
            case "admin" -> System.exit(Cli.admin(args));
            default -> SpringApplication.run(ConfabApplication.class, args);
        }
    }
}
