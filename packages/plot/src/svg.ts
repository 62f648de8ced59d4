// A minimal SVG writer: every number rounded to 2 decimals and attributes in a fixed order, so the
// document (and hence the PNG) is byte-identical for identical input.
import { pngDataUri, type RgbImage } from './png';
import { FONT_FAMILY } from './render';
import { escapeXml } from './text';

export function num(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

export interface TextStyle {
  size?: number;
  anchor?: 'start' | 'middle' | 'end';
  bold?: boolean;
  color?: string;
  /** Rotation in degrees about (x, y). */
  rotate?: number;
}

export interface StrokeStyle {
  stroke?: string;
  width?: number;
  dash?: string;
  fill?: string;
  opacity?: number;
}

export class SvgDoc {
  private readonly parts: string[] = [];
  private clipCount = 0;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  /** `y` is the text baseline; use baselineFor() to centre text vertically on a point. */
  text(x: number, y: number, content: string, style: TextStyle = {}): void {
    const size = style.size ?? 12;
    const attrs = [
      `x="${num(x)}"`,
      `y="${num(y)}"`,
      `font-size="${num(size)}"`,
      `fill="${style.color ?? '#222222'}"`,
      `text-anchor="${style.anchor ?? 'start'}"`,
    ];
    if (style.bold) attrs.push('font-weight="bold"');
    if (style.rotate) attrs.push(`transform="rotate(${num(style.rotate)} ${num(x)} ${num(y)})"`);
    this.parts.push(`<text ${attrs.join(' ')}>${escapeXml(content)}</text>`);
  }

  line(x1: number, y1: number, x2: number, y2: number, style: StrokeStyle = {}): void {
    this.parts.push(`<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}"${strokeAttrs(style, '#222222')}/>`);
  }

  rect(x: number, y: number, w: number, h: number, style: StrokeStyle = {}): void {
    const fill = style.fill ?? 'none';
    this.parts.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="${fill}"${strokeAttrs(style)}/>`);
  }

  path(d: string, style: StrokeStyle = {}, clipId?: string): void {
    const clip = clipId ? ` clip-path="url(#${clipId})"` : '';
    this.parts.push(`<path d="${d}" fill="${style.fill ?? 'none'}"${strokeAttrs(style)}${clip} stroke-linejoin="round" stroke-linecap="round"/>`);
  }

  circle(cx: number, cy: number, r: number, fill: string, clipId?: string): void {
    const clip = clipId ? ` clip-path="url(#${clipId})"` : '';
    this.parts.push(`<circle cx="${num(cx)}" cy="${num(cy)}" r="${num(r)}" fill="${fill}"${clip}/>`);
  }

  /** A raster drawn at its native size (callers resample to the display size first: no smoothing by resvg). */
  image(x: number, y: number, img: RgbImage): void {
    this.parts.push(
      `<image x="${num(x)}" y="${num(y)}" width="${img.width}" height="${img.height}" preserveAspectRatio="none" href="${pngDataUri(img)}"/>`,
    );
  }

  /** A rectangular clip region; returns its id. */
  clipRect(x: number, y: number, w: number, h: number): string {
    const id = `clip${this.clipCount++}`;
    this.parts.push(`<defs><clipPath id="${id}"><rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}"/></clipPath></defs>`);
    return id;
  }

  toString(): string {
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" viewBox="0 0 ${this.width} ${this.height}" ` +
      `font-family="${FONT_FAMILY}">` +
      `<rect x="0" y="0" width="${this.width}" height="${this.height}" fill="#ffffff"/>` +
      this.parts.join('') +
      '</svg>'
    );
  }
}

function strokeAttrs(style: StrokeStyle, defaultStroke?: string): string {
  const stroke = style.stroke ?? defaultStroke;
  let s = stroke ? ` stroke="${stroke}" stroke-width="${num(style.width ?? 1)}"` : '';
  if (stroke && style.dash) s += ` stroke-dasharray="${style.dash}"`;
  if (style.opacity !== undefined) s += ` opacity="${num(style.opacity)}"`;
  return s;
}

/** Baseline that vertically centres text of `size` px on `y` (DejaVu: cap height ~0.73 em). */
export function baselineFor(y: number, size: number): number {
  return y + size * 0.36;
}
