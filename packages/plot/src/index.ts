// @melguard/plot: PNG rendering (raw rasters with pngjs; charts as SVG rendered by resvg with DejaVu Sans).
export { spectrogramImage, spectrogramPng, type SpectrogramImageOptions } from './spectrogram';
export { heatmapPng, type HeatmapOptions } from './heatmap';
export { linePlotPng, PALETTE, type LinePlotOptions, type LineSeries } from './line-plot';
export { panelPng, MARK_COLOR, type PanelOptions, type PanelTile } from './panel';
export { resizeBilinear, resampleArea, type PixelArray } from './resize';
export { colormapLut, colorOf, COLORMAPS, type ColormapName } from './colormaps';
export { encodeRgbPng, type RgbImage } from './png';
export { escapeXml, textWidth } from './text';
export { linearTicks, logTicks, niceDomain, niceScale, niceStep, formatTick, type Tick } from './ticks';
export { INVALID_ARG, type PlotError } from './errors';
export { renderSvg, FONT_FAMILY } from './render';
