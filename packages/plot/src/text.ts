// Text helpers: XML escaping and width estimates from DejaVu Sans metrics (the font we render with),
// so layouts (margins, legends, truncation) are computed the same way on every machine.

/** Advance widths in 1/1000 em of printable ASCII (32..126), read from DejaVuSans.ttf / DejaVuSans-Bold.ttf. */
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
  603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
  634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
  733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
  712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];
/** Characters outside ASCII: a generous average (accented Latin is close, CJK would be wider). */
const OTHER = 700;

/** Characters XML 1.0 forbids even when escaped (they would make resvg reject the whole SVG). */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/[\t\n\r]/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Estimated rendered width in pixels of `text` at `size` px. */
export function textWidth(text: string, size: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let units = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    units += c >= 32 && c < 127 ? table[c - 32] : c === 0x2212 ? 838 : OTHER;
  }
  return (units / 1000) * size;
}

/** `text` shortened with an ellipsis so that it fits in `maxWidth` pixels. */
export function fitText(text: string, maxWidth: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= maxWidth) return text;
  const chars = Array.from(text);
  let n = chars.length;
  while (n > 0 && textWidth(chars.slice(0, n).join('') + '…', size, bold) > maxWidth) n--;
  return n === 0 ? '' : chars.slice(0, n).join('') + '…';
}
