/** Upstream status: providers' public Statuspage v2 pages, read by `serve` (monitors, incident timelines) and doctor. */
export { upstreamMonitors, upstreamName, upstreamService } from './monitors.js';
export {
  parseSummary,
  readStatuspage,
  summaryUrl,
  type UpstreamRead,
  type UpstreamState,
  type UpstreamSummary,
  upstreamState,
} from './statuspage.js';
