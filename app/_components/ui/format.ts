import { GIB } from '@/lib/domain/units';

/** Bytes as GB the way AWS bills (1 GB = 2^30 bytes), one decimal. */
export function formatGb(bytes: number): string {
  return (bytes / GIB).toFixed(1);
}

/** "3 h 5 min", "2 d 4 h": how long something has waited. */
export function formatAge(from: Date, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function formatDateTime(d: Date): string {
  return `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}
