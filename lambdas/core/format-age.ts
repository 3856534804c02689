/** Seconds as a person reads an age: 45s, 10m, 2h, 3d; ten years or more (no recovery point at all) is "never". */
export function formatAge(seconds: number): string {
  if (seconds >= 365 * 86_400) return 'never';
  if (seconds >= 2 * 86_400) return `${Math.round(seconds / 86_400)}d`;
  if (seconds >= 2 * 3600) return `${Math.round(seconds / 3600)}h`;
  if (seconds >= 120) return `${Math.round(seconds / 60)}m`;
  return `${seconds}s`;
}
