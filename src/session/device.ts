import type { DeviceInfo } from './lifecycle.js';

/**
 * Device facts (user agent, client address) kept with a session for "your devices" pages,
 * when `trackDevices` is on. They live in the stored record under a reserved key that
 * application data cannot use (keys starting with `tessera:` are refused), so they never
 * appear in `session.data` and survive every data patch.
 */
export const DEVICE_KEY = 'tessera:device';

const MAX_USER_AGENT = 256;
const MAX_ADDRESS = 64;

/** Bounded copies of what the request said (a header can be up to the header limit). */
export function deviceOf(userAgent: unknown, address: unknown): DeviceInfo {
  return {
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, MAX_USER_AGENT) : null,
    address: typeof address === 'string' ? address.slice(0, MAX_ADDRESS) : null,
  };
}

/** Adds the device to a record's data. */
export function encodeDevice(data: Record<string, string>, device: DeviceInfo): void {
  data[DEVICE_KEY] = JSON.stringify({ ua: device.userAgent, ip: device.address });
}

/** The device stored in a record's data, or `null` (none recorded, or unreadable). */
export function decodeDevice(data: Readonly<Record<string, string>>): DeviceInfo | null {
  const text = data[DEVICE_KEY];
  if (typeof text !== 'string') return null;
  try {
    const { ua, ip } = JSON.parse(text) as { ua?: unknown; ip?: unknown };
    return deviceOf(ua, ip);
  } catch {
    return null;
  }
}
