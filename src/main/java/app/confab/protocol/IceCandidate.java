package app.confab.protocol;

/** A WebRTC ICE candidate as the browser's {@code RTCIceCandidate.toJSON()} writes it; relayed as is. */
public record IceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {
}
