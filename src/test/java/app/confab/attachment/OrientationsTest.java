package app.confab.attachment;

import java.awt.image.BufferedImage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import net.coobird.thumbnailator.util.exif.ExifFilterUtils;
import net.coobird.thumbnailator.util.exif.Orientation;

import static org.assertj.core.api.Assertions.assertThat;

/** Our fast orientation remapping must agree pixel for pixel with Thumbnailator's (general, slow) EXIF filters. */
class OrientationsTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void matchesThumbnailatorsExifFilters(int orientation) {
        BufferedImage source = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                source.setRGB(x, y, (x * 40) << 16 | (y * 90) << 8 | (x + y * 5));
            }
        }

        BufferedImage ours = Orientations.apply(source, orientation);
        BufferedImage reference = ExifFilterUtils.getFilterForOrientation(Orientation.typeOf(orientation)).apply(source);

        assertThat(ours.getWidth()).isEqualTo(reference.getWidth());
        assertThat(ours.getHeight()).isEqualTo(reference.getHeight());
        for (int y = 0; y < ours.getHeight(); y++) {
            for (int x = 0; x < ours.getWidth(); x++) {
                assertThat(ours.getRGB(x, y) & 0xFFFFFF).as("orientation %d at %d,%d", orientation, x, y)
                        .isEqualTo(reference.getRGB(x, y) & 0xFFFFFF);
            }
        }
    }
}
