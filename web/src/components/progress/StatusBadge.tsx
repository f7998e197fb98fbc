/** A rule's or registration's status in words and a symbol, never by colour alone. */
import { t } from "../../strings";

export function StatusBadge({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{t.statuses[status] ?? status}</span>;
}

/** "35 h", "5 entries": an amount in the rule's unit. */
export function amount(unit: string, value: number): string {
  return t.amounts[unit]?.(value) ?? `${value} ${unit}`;
}
