package app.confab.load;

import java.util.ArrayList;
import java.util.List;

/** A parsed Prometheus text exposition: sums of samples by name and label filter. */
public final class Metrics {

    private record Sample(String name, String labels, double value) {
    }

    private final List<Sample> samples = new ArrayList<>();

    public Metrics(String text) {
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name;
            String labels = "";
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                labels = line.substring(brace + 1, line.lastIndexOf('}'));
            } else {
                name = line.substring(0, line.indexOf(' '));
            }
            try {
                samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
            } catch (NumberFormatException ignored) {
                // a timestamped or odd line: not one the tool reads
            }
        }
    }

    /** Sum of every sample of the metric whose labels contain all of {@code labelParts}; NaN if none. */
    public double sum(String name, String... labelParts) {
        double sum = 0;
        boolean found = false;
        for (Sample sample : samples) {
            if (!sample.name().equals(name)) {
                continue;
            }
            boolean matches = true;
            for (String part : labelParts) {
                if (!sample.labels().contains(part)) {
                    matches = false;
                    break;
                }
            }
            if (matches) {
                sum += sample.value();
                found = true;
            }
        }
        return found ? sum : Double.NaN;
    }
}
