/** A window as the alert engine sees it: a silence of its services for its span, named after the window. */
import type { MaintenanceWindow } from './windows.js';

/** Prefix of the silence ids of windows: how incidents tell maintenance apart from a person's silence. */
export const WINDOW_SILENCE_PREFIX = 'maintenance:';

export function windowSilences(windows: readonly MaintenanceWindow[]) {
  return windows.map((w) => ({
    id: `${WINDOW_SILENCE_PREFIX}${w.id}`,
    // Service ids are letters, digits, - and _: nothing to escape in the alternation.
    matchers: [{ label: 'service', op: '=~' as const, value: w.services.join('|') }],
    startsAt: Date.parse(w.startsAt),
    endsAt: Date.parse(w.endsAt),
  }));
}
