// VS Code notifications turn `[label](command:…)`, `[label](https://…)` and `[label](file:…)` in
// their message into links (vs/base/common/linkedText.ts): a certificate subject or a file name
// in a message could offer a command link. Text from files and certificates goes into a
// notification through here: controls shown visibly, and no `](` left to make a link of.
import { visibleControls } from '../../server/src/core/util/visible';

export function notificationText(text: string): string {
  return visibleControls(text).replace(/\]\(/g, '] (');
}
