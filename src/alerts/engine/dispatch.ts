import type { AlertRoute } from '../alert-rule-schema.ts';
import type { Labels, Notification } from '../notification.ts';
import { buildNotifications } from './build-notification.ts';
import { isWithinBusinessHours } from './business-hours.ts';
import { durationMs } from './duration.ts';
import type { AlertGroup, AlertInstance } from './engine-state.ts';
import { labelsKey, pickLabels } from './labels.ts';
import { matchesAll } from './matchers.ts';
import { isMuted } from './muting.ts';

// Alertmanager's aggregation groups. A new group waits group_wait before its first flush, then
// flushes every group_interval; a flush notifies when the group has new firing or newly resolved
// alerts, or when repeat_interval has passed since the last notification. A business-hours route
// holds its flushes until the hours open, then sends the group as it stands.

/** Routes an alert goes to: in order, the first match wins unless that route has `continue`. */
export function matchRoutes(routes: readonly AlertRoute[], labels: Labels): AlertRoute[] {
  const out: AlertRoute[] = [];
  for (const route of routes) {
    if (!matchesAll(route.matchers, labels)) continue;
    out.push(route);
    if (!route.continue) break;
  }
  return out;
}

export function groupKeyOf(route: AlertRoute, labels: Labels): { key: string; groupLabels: Labels } {
  const groupLabels = pickLabels(labels, route.groupBy);
  return { key: `${route.id}:${labelsKey(groupLabels)}`, groupLabels };
}

const iso = (ms: number) => new Date(ms).toISOString();
const isSubset = (xs: readonly string[], of: readonly string[]) => xs.every((x) => of.includes(x));

/** A member whose episode ended but whose resolution the group has not flushed yet. */
function awaitsResolvedNotice(a: AlertInstance): boolean {
  return a.state === 'resolved' || (a.state === 'pending' && a.resolvedAt !== undefined);
}

export interface DispatchResult {
  alerts: Record<string, AlertInstance>;
  groups: Record<string, AlertGroup>;
  notifications: Notification[];
}

export function dispatch(
  alertsIn: Readonly<Record<string, AlertInstance>>,
  groupsIn: Readonly<Record<string, AlertGroup>>,
  routes: readonly AlertRoute[],
  now: Date,
): DispatchResult {
  const nowMs = now.getTime();
  const alerts = { ...alertsIn };
  const routesById = new Map(routes.map((r) => [r.id, r]));
  const groups: Record<string, AlertGroup> = {};
  const notifications: Notification[] = [];

  // Where each firing alert belongs now (routes may have changed since the last step).
  const wanted = new Map<string, Set<string>>();
  for (const a of Object.values(alerts)) {
    if (a.state !== 'firing') continue;
    for (const route of matchRoutes(routes, a.labels)) {
      const { key, groupLabels } = groupKeyOf(route, a.labels);
      wanted.set(a.fingerprint, (wanted.get(a.fingerprint) ?? new Set()).add(key));
      groups[key] ??= groupsIn[key]
        ? { ...groupsIn[key] }
        : {
            key,
            route: route.id,
            groupLabels,
            members: [],
            createdAt: now.toISOString(),
            nextFlushAt: iso(nowMs + durationMs(route.groupWait)),
          };
    }
  }
  for (const [key, g] of Object.entries(groupsIn))
    if (!groups[key] && routesById.has(g.route)) groups[key] = { ...g };

  for (const g of Object.values(groups)) {
    const keep = g.members.filter((fp) => {
      const a = alerts[fp];
      return a !== undefined && (awaitsResolvedNotice(a) || wanted.get(fp)?.has(g.key) === true);
    });
    for (const [fp, keys] of wanted) if (keys.has(g.key) && !keep.includes(fp)) keep.push(fp);
    g.members = keep;
  }

  // Route order, then group key: the order of notifications never depends on the state's history.
  const routeIndex = new Map(routes.map((r, i) => [r.id, i]));
  const order = (g: AlertGroup) => routeIndex.get(g.route) ?? routes.length;
  const due = Object.values(groups).sort((x, y) => order(x) - order(y) || x.key.localeCompare(y.key));
  for (const g of due) {
    const route = routesById.get(g.route);
    if (!route || nowMs < Date.parse(g.nextFlushAt)) continue;
    if (route.businessHours && !isWithinBusinessHours(route.businessHours, now)) continue;

    const members = g.members
      .map((fp) => alerts[fp])
      .filter((a): a is AlertInstance => a !== undefined && !isMuted(a));
    const firing = members.filter((a) => a.state === 'firing');
    // A resolution is news only to those who heard of the firing.
    const resolved = members.filter(
      (a) => awaitsResolvedNotice(a) && g.lastSent?.firing.includes(a.fingerprint),
    );
    const firingFps = firing.map((a) => a.fingerprint);
    const last = g.lastSent;
    let reason: Notification['reason'] | undefined;
    if (!last) reason = firing.length > 0 ? 'initial' : undefined;
    else if (!isSubset(firingFps, last.firing)) reason = 'update';
    else if (resolved.length > 0) reason = firing.length > 0 ? 'update' : 'resolved';
    else if (firing.length > 0 && nowMs - Date.parse(last.at) >= durationMs(route.repeatInterval))
      reason = 'repeat';

    if (reason) {
      notifications.push(
        ...buildNotifications({
          receivers: route.receivers,
          groupKey: g.key,
          groupLabels: g.groupLabels,
          firing,
          resolved,
          reason,
          now,
        }),
      );
      g.lastSent = { at: now.toISOString(), firing: firingFps, resolved: resolved.map((a) => a.fingerprint) };
    }
    // The escalation clock starts once the receivers know the alert fires (a flap that re-fires
    // an alert they already know of starts it without a new notification).
    for (const a of firing)
      if (!a.notifiedAt && g.lastSent?.firing.includes(a.fingerprint))
        alerts[a.fingerprint] = { ...a, notifiedAt: now.toISOString() };
    // Resolved members have had their one chance to be announced.
    g.members = g.members.filter((fp) => {
      const a = alerts[fp];
      return a !== undefined && !awaitsResolvedNotice(a);
    });
    const next = Date.parse(g.nextFlushAt) + durationMs(route.groupInterval);
    g.nextFlushAt = iso(next > nowMs ? next : nowMs + durationMs(route.groupInterval));
  }

  for (const [key, g] of Object.entries(groups)) if (g.members.length === 0) delete groups[key];
  return { alerts, groups, notifications };
}
