// Every message that lists names, sockets, profiles or paths goes through here, so that its size
// does not grow with the configuration: a fleet's kamailio.cfg has 200,000 alias= lines, and a
// message naming all of them cost 5 GB in the CLI (and an editor shows the first lines anyway).
// The first few are shown, then how many more there are.

/** How many items a message shows before "… and N more". */
export const LISTED_AT_MOST = 10;

/** 199990 → "199,990": a count read at a glance, the same in every locale. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export interface ListingOptions {
  /** Items shown before the rest is counted (default LISTED_AT_MOST). */
  max?: number;
  /** Between shown items (default ", "). */
  separator?: string;
}

/** `a, b, c` — or `a, b, …, j … and 199,990 more` when there are more than `max`. */
export function listing(items: readonly string[], options: ListingOptions = {}): string {
  return listingOf(items, (s) => s, options);
}

/**
 * The first `max` items of a list whose rest only counts — related locations, which cannot say
 * "and N more" themselves (the finding's message does, through `listing`).
 */
export function firstListed<T>(items: readonly T[], max = LISTED_AT_MOST): T[] {
  return items.slice(0, max);
}

/** `listing` of items mapped to text; only the shown ones are mapped. */
export function listingOf<T>(items: readonly T[], text: (item: T) => string, options: ListingOptions = {}): string {
  const max = Math.max(1, options.max ?? LISTED_AT_MOST);
  const shown = firstListed(items, max).map(text).join(options.separator ?? ', ');
  return items.length <= max ? shown : `${shown} … and ${formatCount(items.length - max)} more`;
}
