// Idle detection for presence (issue 20: a member "offline … or idle" gets push and email). A tab
// that is visible but untouched for IDLE_AFTER_MS is as good as unattended: the client then says
// "away" (presence:update), which the server treats like offline for push and email; the first
// input says "online" again. A hidden tab is "away" already (sync/index.ts).

export const IDLE_AFTER_MS = 5 * 60_000;
const INPUTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus'] as const;

let lastInput = Date.now();

/** Whether nobody has touched this tab for {@link IDLE_AFTER_MS}. */
export function isIdle(now = Date.now()): boolean {
  return now - lastInput >= IDLE_AFTER_MS;
}

/**
 * Watches input; calls {@code onChange} when the tab becomes idle and when input ends that.
 * Returns the function that stops watching.
 */
export function watchIdle(onChange: () => void, target: Window = window): () => void {
  lastInput = Date.now();
  let idle = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // One timer, checked against the last input when it fires: input itself only notes the time,
  // so a stream of pointermoves costs nothing.
  const check = () => {
    const left = lastInput + IDLE_AFTER_MS - Date.now();
    if (left > 0) {
      timer = setTimeout(check, left);
      return;
    }
    idle = true;
    onChange();
  };
  const input = () => {
    lastInput = Date.now();
    if (idle) {
      idle = false;
      onChange();
      timer = setTimeout(check, IDLE_AFTER_MS);
    }
  };
  INPUTS.forEach((type) => target.addEventListener(type, input, { passive: true, capture: true }));
  timer = setTimeout(check, IDLE_AFTER_MS);
  return () => {
    clearTimeout(timer);
    INPUTS.forEach((type) => target.removeEventListener(type, input, { capture: true }));
  };
}
