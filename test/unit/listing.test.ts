// listing.ts bounds every message that lists names: whatever the number of items, at most `max`
// are shown, the rest is counted exactly, and the text does not grow with the list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LISTED_AT_MOST, firstListed, formatCount, listing, listingOf } from '../../server/src/core/listing';
import { Rng } from '../helpers/fuzz/prng';

test('listing: shows at most max items, counts the rest with thousands separators, stays bounded', () => {
  const rng = new Rng(11);
  for (let i = 0; i < 300; i++) {
    const count = i < 20 ? i : rng.pick([rng.int(40), rng.int(5000), 199_990 + rng.int(20)]);
    const max = rng.chance(0.5) ? undefined : rng.between(1, 12);
    const items = Array.from({ length: count }, (_, k) => `name${k}.example.com`);
    const shownAtMost = max ?? LISTED_AT_MOST;
    const text = listing(items, max === undefined ? {} : { max });
    const shown = Math.min(count, shownAtMost);
    for (let k = 0; k < shown; k++) assert.ok(text.includes(`name${k}.example.com`), text);
    assert.ok(!text.includes(`name${shown}.example.com`), `item ${shown} is not shown: ${text}`);
    if (count > shownAtMost) assert.ok(text.endsWith(` … and ${formatCount(count - shownAtMost)} more`), text);
    else assert.ok(!text.includes('more'), text);
    assert.ok(text.length <= shownAtMost * 40 + 40, `bounded: ${text.length} characters for ${count} items`);
    assert.equal(listingOf(items, (s) => s.toUpperCase(), max === undefined ? {} : { max }), text.replace(/name\d+\.example\.com/g, (m) => m.toUpperCase()));
    assert.equal(firstListed(items).length, Math.min(count, LISTED_AT_MOST));
  }
  assert.equal(formatCount(199990), '199,990');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(999), '999');
  assert.equal(listing(['a', 'b'], { separator: '; ' }), 'a; b');
});
