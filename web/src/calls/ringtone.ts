// A ringtone made with WebAudio (no audio file to ship): the two-tone North American ring,
// 440 + 480 Hz, two seconds on, four off. Browsers may refuse sound before the user has interacted
// with the page; then the banner and the notification are the ring.

let context: AudioContext | null = null;
let timer: ReturnType<typeof setInterval> | null = null;
let gain: GainNode | null = null;
let oscillators: OscillatorNode[] = [];

function burst() {
  if (!context || !gain) return;
  const now = context.currentTime;
  gain.gain.cancelScheduledValues(now);
  gain.gain.setValueAtTime(0, now);
  gain.gain.linearRampToValueAtTime(0.12, now + 0.05);
  gain.gain.setValueAtTime(0.12, now + 1.9);
  gain.gain.linearRampToValueAtTime(0, now + 2);
}

export function startRinging() {
  if (timer) return;
  try {
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return;
    context = new Ctor();
    gain = context.createGain();
    gain.gain.value = 0;
    gain.connect(context.destination);
    oscillators = [440, 480].map((frequency) => {
      const o = context!.createOscillator();
      o.frequency.value = frequency;
      o.connect(gain!);
      o.start();
      return o;
    });
    void context.resume().catch(() => undefined);
    burst();
    timer = setInterval(burst, 6000);
  } catch {
    stopRinging();
  }
}

export function stopRinging() {
  if (timer) clearInterval(timer);
  timer = null;
  oscillators.forEach((o) => {
    try {
      o.stop();
    } catch {
      // already stopped
    }
  });
  oscillators = [];
  void context?.close().catch(() => undefined);
  context = null;
  gain = null;
}

export function isRinging(): boolean {
  return timer !== null;
}
