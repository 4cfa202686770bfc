package app.confab.attachment;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Applies an EXIF orientation (1-8) to decoded pixels, so every size is stored upright and no
 * viewer has to know about EXIF. A plain index remapping on an int[] raster: a 12-megapixel photo
 * takes tens of milliseconds, where a general affine transform takes seconds.
 */
final class Orientations {

    private Orientations() {
    }

    static BufferedImage apply(BufferedImage source, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return source;
        }
        BufferedImage rgb = intRgb(source);
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        boolean swaps = orientation >= 5;
        int dw = swaps ? h : w;
        int dh = swaps ? w : h;
        BufferedImage target = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
        int[] from = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        int[] to = ((DataBufferInt) target.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int dx;
                int dy;
                switch (orientation) {
                    case 2 -> { dx = w - 1 - x; dy = y; }
                    case 3 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    case 4 -> { dx = x; dy = h - 1 - y; }
                    case 5 -> { dx = y; dy = x; }
                    case 6 -> { dx = h - 1 - y; dy = x; }
                    case 7 -> { dx = h - 1 - y; dy = w - 1 - x; }
                    default -> { dx = y; dy = w - 1 - x; }
                }
                to[dy * dw + dx] = from[row + x];
            }
        }
        return target;
    }

    private static BufferedImage intRgb(BufferedImage source) {
        if (source.getType() == BufferedImage.TYPE_INT_RGB) {
            return source;
        }
        BufferedImage rgb = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = rgb.createGraphics();
        try {
            graphics.drawImage(source, 0, 0, null);
        } finally {
            graphics.dispose();
        }
        return rgb;
    }
}
