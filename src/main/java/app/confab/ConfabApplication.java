package app.confab;

import java.util.OptionalInt;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

import app.confab.cli.ConfabCommands;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ConfabApplication {

    /** {@code java -jar confab.jar [VERB ...]}: a command-line verb, or the server when there is none. */
    public static void main(String[] args) {
        OptionalInt verb = ConfabCommands.run(args, System.getenv(), System.out, System.err);
        if (verb.isPresent()) {
            System.exit(verb.getAsInt());
        }
        SpringApplication.run(ConfabApplication.class, args);
    }
}
