package app.confab.attachment;

/** An uploaded file is not an image we accept; the message says why, in words for the user. */
class ImageRejectedException extends Exception {

    ImageRejectedException(String reason) {
        super(reason);
    }
}
