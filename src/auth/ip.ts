/**
 * IP addresses as bytes: parsing the spellings that reach a server (sockets, proxies'
 * `X-Forwarded-For`), one canonical text per address, prefixes and CIDR ranges. Pure and
 * total: any input gives an address or `null`, never a throw.
 */

/** An IPv4 address as 4 bytes or an IPv6 address as 16. IPv4-mapped IPv6 is IPv4. */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly bytes: Uint8Array;
}

/** Longer than any spelling of an address with brackets, zone and port. */
const MAX_TEXT = 100;
const DECIMAL = /^(?:0|[1-9]\d{0,2})$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;
const PORT = /^\d{1,5}$/;

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    // Leading zeros are refused: `010` is 8 to some parsers and 10 to others.
    if (!DECIMAL.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes[i] = value;
  }
  return bytes;
}

/** The 16-bit groups of one side of `::` (an IPv4 tail counts as two), or null. */
function groups(side: string, allowIpv4Tail: boolean): number[] | null {
  if (side === '') return [];
  const parts = side.split(':');
  const out: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (allowIpv4Tail && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === null) return null;
      out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (HEXTET.test(part)) {
      out.push(Number.parseInt(part, 16));
    } else {
      return null;
    }
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  let all: number[];
  if (halves.length === 2) {
    const head = groups(halves[0]!, false);
    const tail = groups(halves[1]!, true);
    // `::` stands for at least one group of zeros.
    if (head === null || tail === null || head.length + tail.length > 7) return null;
    all = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const only = groups(text, true);
    if (only === null || only.length !== 8) return null;
    all = only;
  }
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    bytes[2 * i] = all[i]! >> 8;
    bytes[2 * i + 1] = all[i]! & 0xff;
  }
  return bytes;
}

function isIpv4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/**
 * Parses an address as sockets and proxies write it: `1.2.3.4`, `1.2.3.4:5678`,
 * `2001:db8::1`, `[2001:db8::1]:443`, `fe80::1%eth0` (the zone is dropped),
 * `::ffff:1.2.3.4` (IPv4-mapped, read as `1.2.3.4`). Anything else is `null`.
 */
export function parseIp(input: string): IpAddress | null {
  if (typeof input !== 'string' || input.length > MAX_TEXT) return null;
  let text = input.trim();
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    const rest = text.slice(close + 1);
    if (rest !== '' && !(rest.startsWith(':') && PORT.test(rest.slice(1)))) return null;
    text = text.slice(1, close);
    if (text.includes('.') && !text.includes(':')) return null;
  } else if (!text.includes(':') || /^[\d.]+:\d+$/.test(text)) {
    const colon = text.indexOf(':');
    if (colon >= 0 && !PORT.test(text.slice(colon + 1))) return null;
    const v4 = parseIpv4(colon < 0 ? text : text.slice(0, colon));
    return v4 === null ? null : { version: 4, bytes: v4 };
  }
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const v6 = parseIpv6(text);
  if (v6 === null) return null;
  if (isIpv4Mapped(v6)) return { version: 4, bytes: v6.slice(12) };
  return { version: 6, bytes: v6 };
}

/** The canonical text: dotted IPv4, or RFC 5952 IPv6 (lower case, longest zero run as `::`). */
export function formatIp(ip: IpAddress): string {
  const { bytes } = ip;
  if (ip.version === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const hextets: number[] = [];
  for (let i = 0; i < 8; i++) hextets.push((bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestStart = -1;
  let bestLength = 1; // RFC 5952 §4.2.2: a single zero group is not shortened
  for (let i = 0; i < 8; ) {
    if (hextets[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && hextets[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string =>
    hextets
      .slice(from, to)
      .map((group) => group.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** `ip` with every bit after the first `bits` cleared. */
export function maskIp(ip: IpAddress, bits: number): IpAddress {
  const bytes = new Uint8Array(ip.bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.min(8, Math.max(0, bits - 8 * i));
    bytes[i] = ip.bytes[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return { version: ip.version, bytes };
}

/** A range of addresses: an address and how many leading bits must match. */
export interface IpRange {
  readonly ip: IpAddress;
  readonly bits: number;
}

/** Parses `10.0.0.0/8`, `fd00::/8` or a single address (a full-length range), or null. */
export function parseRange(text: string): IpRange | null {
  if (typeof text !== 'string') return null;
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (ip === null) return null;
  const max = ip.version === 4 ? 32 : 128;
  if (slash < 0) return { ip, bits: max };
  const bitsText = text.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(bitsText)) return null;
  let bits = Number(bitsText);
  // `::ffff:10.0.0.0/104` is the IPv4 range `10.0.0.0/8`.
  if (ip.version === 4 && text.includes(':')) bits -= 96;
  if (bits < 0 || bits > max) return null;
  return { ip: maskIp(ip, bits), bits };
}

/** Whether `ip` is in `range` (an IPv4 address is never in an IPv6 range). */
export function inRange(ip: IpAddress, range: IpRange): boolean {
  if (ip.version !== range.ip.version) return false;
  const masked = maskIp(ip, range.bits);
  for (let i = 0; i < masked.bytes.length; i++) {
    if (masked.bytes[i] !== range.ip.bytes[i]) return false;
  }
  return true;
}
