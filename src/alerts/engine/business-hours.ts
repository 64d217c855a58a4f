// Business hours are wall-clock hours in the route's time zone, so DST shifts them in UTC
// exactly as they shift for the people reading the notifications.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface BusinessHoursValue {
  timeZone: string;
  days: readonly Weekday[];
  /** `HH:MM`, inclusive. */
  start: string;
  /** `HH:MM`, exclusive; after start (overnight windows are not supported). */
  end: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the name is an IANA time zone this runtime knows, e.g. `Europe/Brussels`. */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** Weekday and minutes since midnight of an instant on the wall clock of a time zone. */
export function wallClock(at: Date, timeZone: string): { day: Weekday; minutes: number } {
  const parts = formatter(timeZone).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = get('weekday').toLowerCase().slice(0, 3) as Weekday;
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

export function isWithinBusinessHours(hours: BusinessHoursValue, at: Date): boolean {
  const { day, minutes } = wallClock(at, hours.timeZone);
  return (
    hours.days.includes(day) && minutes >= clockMinutes(hours.start) && minutes < clockMinutes(hours.end)
  );
}
