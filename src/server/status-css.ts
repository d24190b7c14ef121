/** The status page's only stylesheet: inline, small, readable without JavaScript, narrow screens included. */
export const STATUS_CSS = `
:root{--fg:#1b1f24;--muted:#5b6470;--bg:#f6f7f9;--card:#fff;--line:#e2e5ea;--none:#c5cad3;
--ok:#1f9d55;--ok2:#7cb342;--warn:#e6a700;--part:#f0780a;--bad:#d32f2f;--maint:#1e6fd9}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:56rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:1rem 0 0}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
h3{font-size:1rem;margin:0}
.s-operational{--c:var(--ok);--t:#16793f}.s-degraded_performance{--c:var(--warn);--t:#7a5a00}
.s-partial_outage{--c:var(--part);--t:#a94700}.s-major_outage{--c:var(--bad);--t:#b71c1c}
.s-under_maintenance{--c:var(--maint);--t:#1a5fb8}.s-unknown{--c:var(--none);--t:var(--muted)}
.overall{border-radius:.5rem;padding:1rem 1.25rem;font-weight:700;font-size:1.25rem;background:var(--c);color:#fff}
.overall.s-degraded_performance,.overall.s-unknown{color:#1b1f24}
.overall p{margin:0}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem 1.25rem}
.card>p{margin:0;color:var(--muted)}
.components{list-style:none;margin:0;padding:0}
.component{padding:1rem 0;border-top:1px solid var(--line)}
.component:first-child{border-top:0;padding-top:0}
.head{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;flex-wrap:wrap}
.state{font-weight:600;color:var(--t)}
.bars{display:flex;gap:2px;list-style:none;margin:.5rem 0 .25rem;padding:0;height:2.25rem}
.bars li{flex:1 1 0;min-width:2px;border-radius:2px;background:var(--none)}
.bars li:hover{opacity:.7}
.bars .u-100{background:var(--ok)}.bars .u-99{background:var(--ok2)}
.bars .u-95{background:var(--warn)}.bars .u-low{background:var(--bad)}
.legend{display:flex;justify-content:space-between;gap:.5rem;color:var(--muted);font-size:.85rem}
.short{display:none}
footer{color:var(--muted);font-size:.85rem}
@media (max-width:40rem){.bars li:nth-child(-n+60){display:none}.long{display:none}.short{display:inline}
header,main,footer{padding:.75rem}}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--muted:#9aa3ad;--bg:#111418;--card:#1a1e24;--line:#2b313a;--none:#3a414b}
.state{color:var(--c)}}
`;
