// SVG -> PNG with resvg, using DejaVu Sans loaded from explicit files (never the machine's font config),
// so the same SVG renders to the same pixels everywhere the fonts are installed.
import { existsSync } from 'fs';
import { join } from 'path';
import { Resvg } from '@resvg/resvg-js';

export const FONT_FAMILY = 'DejaVu Sans';

/** Where distributions put DejaVu (Debian/Ubuntu, Fedora, Arch/Alpine); MELGUARD_FONT_DIR overrides. */
const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu-sans-fonts', '/usr/share/fonts/dejavu', '/usr/share/fonts/TTF'];
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

let fontFiles: string[] | undefined;
let warned = false;

function findFonts(): string[] {
  if (fontFiles) return fontFiles;
  const dirs = process.env.MELGUARD_FONT_DIR ? [process.env.MELGUARD_FONT_DIR, ...FONT_DIRS] : FONT_DIRS;
  for (const dir of dirs) {
    const files = FONT_FILES.map((f) => join(dir, f));
    if (files.every((f) => existsSync(f))) return (fontFiles = files);
  }
  return (fontFiles = []);
}

/** Render an SVG document (its own width/height attributes give the size) to PNG bytes. */
export function renderSvg(svg: string): Buffer {
  const files = findFonts();
  if (files.length === 0 && !warned) {
    warned = true;
    process.emitWarning(
      'DejaVu Sans not found (install fonts-dejavu-core or set MELGUARD_FONT_DIR); plot text uses system fonts and may differ between machines',
      { code: 'MELGUARD_NO_FONT' },
    );
  }
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: files.length === 0,
      fontFiles: files,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      defaultFontSize: 12,
    },
    background: '#ffffff',
    fitTo: { mode: 'original' },
    shapeRendering: 2,
    textRendering: 1,
    imageRendering: 1,
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
