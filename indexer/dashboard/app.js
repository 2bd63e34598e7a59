// TradeFin dashboard (issue #15): Supervisor, Portfolio, Receivable and Participant pages over the indexer's
// JSON API. Preact + htm (no build step), uPlot for charts. Read-only.
import { h, render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import htm from "htm";
import uPlot from "uplot";

const html = htm.bind(h);
const ROLES = { 1: "Supplier", 2: "Buyer", 4: "Financier", 8: "Regulator" };
const DAY = 86400;

// ------------------------------------------------------------------ formatting

/** Base units (decimal string or bigint) → "1,234,567.89": thousands separators, at least two decimals. */
export function formatUnits(value, decimals) {
  let v = BigInt(value);
  const negative = v < 0n;
  if (negative) v = -v;
  const digits = v.toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  let fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  fraction = fraction.padEnd(Math.min(2, decimals), "0");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}
const bps = (v) => `${(Number(v) / 100).toFixed(2)} %`;
const date = (s) => (Number(s) === 0 ? "–" : new Date(Number(s) * 1000).toISOString().slice(0, 10));
const short = (hex) => `${hex.slice(0, 6)}…${hex.slice(-4)}`;

let currencies = [];
function money(value, currency) {
  const c = currencies.find((x) => x.address.toLowerCase() === String(currency).toLowerCase()) ?? currencies[0];
  return c ? `${formatUnits(value, c.decimals)} ${c.symbol}` : String(value);
}
function moneyMap(map) {
  const parts = Object.entries(map ?? {})
    .filter(([, v]) => BigInt(v) !== 0n)
    .map(([c, v]) => money(v, c));
  return parts.length ? parts.join("; ") : "0";
}
const sum = (values) => values.reduce((a, b) => a + BigInt(b), 0n);

async function get(path) {
  const res = await fetch(path);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ?? `${path}: HTTP ${res.status}`);
  return body;
}

function useData(path) {
  const [state, setState] = useState({ loading: true });
  useEffect(() => {
    let live = true;
    get(path)
      .then((data) => live && setState({ data }))
      .catch((error) => live && setState({ error: error.message }));
    return () => (live = false);
  }, [path]);
  return state;
}

// ------------------------------------------------------------------- components

const Card = ({ label, value, id }) =>
  html`<div class="card">
    <div class="label">${label}</div>
    <div class="value" data-testid=${id}>${value}</div>
  </div>`;

function Table({ head, rows, numeric = [] }) {
  return html`<table>
    <thead>
      <tr>
        ${head.map((c, i) => html`<th class=${numeric.includes(i) ? "num" : ""}>${c}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${
        rows.length === 0
          ? html`<tr>
              <td colspan=${head.length}>None.</td>
            </tr>`
          : rows.map(
              (r) =>
                html`<tr>
                  ${r.map((c, i) => html`<td class=${numeric.includes(i) ? "num" : ""}>${c}</td>`)}
                </tr>`,
            )
      }
    </tbody>
  </table>`;
}

/** A uPlot chart that follows its container's width. `bars` draws bars instead of lines. */
function Chart({ title, x, series, bars = false, xLabels, id }) {
  const ref = useRef(null);
  useEffect(() => {
    if (!ref.current) return undefined;
    const width = Math.max(260, ref.current.clientWidth);
    const opts = {
      width,
      height: 220,
      title,
      scales: { x: { time: !xLabels } },
      axes: [
        xLabels ? { values: (_u, ticks) => ticks.map((t) => xLabels[t] ?? "") } : {},
        { size: 70, values: (_u, ticks) => ticks.map((t) => t.toLocaleString("en-US")) },
      ],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: ["#1f5fa8", "#c0392b", "#e67e22", "#27ae60", "#8e44ad"][i % 5],
          fill: bars ? ["#1f5fa855", "#c0392b55"][i % 2] : undefined,
          width: 2,
          ...(bars ? { paths: uPlot.paths.bars({ size: [0.6, 60] }), points: { show: false } } : {}),
        })),
      ],
    };
    const plot = new uPlot(opts, [x, ...series.map((s) => s.values)], ref.current);
    return () => plot.destroy();
  }, [JSON.stringify([x, series.map((s) => s.values)])]);
  return html`<div class="chart" data-testid=${id} ref=${ref}></div>`;
}

const Status = ({ s, frozen }) =>
  html`<span class=${`badge ${s}`}>${s}</span>${frozen ? html` <span class="badge frozen">frozen</span>` : null}`;
const RLink = ({ id }) => html`<a href=${`/receivable?id=${id}`}>#${id}</a>`;
const PLink = ({ id, name }) => html`<a href=${`/participant?id=${id}`}>${name}</a>`;

// ------------------------------------------------------------------------ pages

function OverdueChart({ overdue, id }) {
  const labels = overdue.map((b) => b.label);
  const values = overdue.map((b) => Number(sum(Object.values(b.amount))) / 10 ** (currencies[0]?.decimals ?? 0));
  return html`<${Chart}
    id=${id}
    title="Overdue by days past due"
    x=${labels.map((_, i) => i)}
    xLabels=${labels}
    series=${[{ label: `Amount (${currencies[0]?.symbol ?? ""})`, values }]}
    bars
  />`;
}

function Supervisor() {
  const { data: r, error } = useData("/api/report");
  const { data: snaps } = useData("/api/snapshots");
  if (error) return html`<p class="error">${error}</p>`;
  if (!r) return html`<p>Loading…</p>`;
  const t = r.totals;
  const total = (k) => t.map((x) => money(x[k], x.currency)).join("; ") || "0";
  const hhi = Object.values(r.concentration.hhiBps)[0] ?? 0;
  const top10 = sum(r.concentration.buyers.slice(0, 10).map((b) => b.shareBps));
  const s = snaps?.snapshots ?? [];
  const dec = 10 ** (currencies[0]?.decimals ?? 0);
  const series = (f) => s.map((x) => Number(sum(Object.values(f(x)))) / dec);
  return html`<h2>Supervisor — all banks</h2>
    <div class="cards">
      <${Card}
        label="Receivables"
        id="receivables"
        value=${t.reduce((a, x) => a + x.receivables, 0).toLocaleString("en-US")}
      />
      <${Card} label="Outstanding" id="outstanding" value=${total("outstanding")} />
      <${Card} label="Overdue" id="overdue" value=${total("overdue")} />
      <${Card} label="In default" id="defaulted" value=${total("defaulted")} />
      <${Card} label="Written off (pool losses)" id="losses" value=${moneyMap(r.defaults.poolLosses)} />
      <${Card} label="Pool advances" id="advances" value=${total("poolAdvances")} />
      <${Card} label="Pool liquidity" id="liquidity" value=${total("poolLiquidity")} />
      <${Card} label="Frozen" id="frozen" value=${r.frozen.length} />
      <${Card} label="Top-10 buyers' share" id="top10" value=${bps(top10)} />
      <${Card} label="Herfindahl index" id="hhi" value=${bps(hhi)} />
    </div>
    <div class="grid">
      <div class="panel"><${OverdueChart} overdue=${r.overdue} id="chart-overdue" /></div>
      <div class="panel">
        <${Chart}
          id="chart-series"
          title="Daily: outstanding, overdue, in default"
          x=${s.map((x) => Number(x.timestamp))}
          series=${[
            { label: "Outstanding", values: series((x) => x.outstanding) },
            {
              label: "Overdue",
              values: series((x) =>
                Object.assign(
                  {},
                  ...x.overdue
                    .slice(1)
                    .map((m, i) => Object.fromEntries(Object.entries(m).map(([k, v]) => [`${k}${i}`, v]))),
                ),
              ),
            },
            { label: "In default", values: series((x) => x.defaulted) },
          ]}
        />
      </div>
      <div class="panel">
        <h3>Banks</h3>
        <${Table}
          head=${["Pool", "Liquidity", "Outstanding", "Fees", "Losses", "Largest buyer"]}
          numeric=${[1, 2, 3, 4]}
          rows=${r.byBank.map((p) => [
            html`<a href=${`/portfolio?pool=${encodeURIComponent(p.name)}`}>${p.name}</a>`,
            money(p.liquidity, p.currency),
            money(p.outstandingAdvances, p.currency),
            money(p.feesEarned, p.currency),
            money(p.losses, p.currency),
            p.largestBuyer ? `${p.largestBuyer.buyer} ${bps(p.largestBuyer.shareBps)}` : "–",
          ])}
        />
      </div>
      <div class="panel">
        <h3>Concentration by buyer</h3>
        <${Table}
          head=${["Buyer", "Outstanding", "Share"]}
          numeric=${[1, 2]}
          rows=${r.concentration.buyers.map((b) => [html`<${PLink} id=${b.buyerEntityId} name=${b.buyer} />`, money(b.outstanding, b.currency), bps(b.shareBps)])}
        />
      </div>
      <div class="panel">
        <h3>Defaults and write-offs</h3>
        <${Table}
          head=${["Receivable", "Buyer", "Declared", "Amount", "Recovered", "Written off"]}
          numeric=${[3, 4]}
          rows=${r.defaults.items.map((d) => [
            html`<${RLink} id=${d.id} />`,
            d.buyer,
            date(d.declaredAt),
            money(d.amount, d.currency),
            money(d.recovered, d.currency),
            d.writtenOff ? `${money(d.writtenOff.loss, d.currency)} by ${d.writtenOff.pool}` : "–",
          ])}
        />
      </div>
      <div class="panel">
        <h3>Frozen receivables</h3>
        <${Table}
          head=${["Receivable", "Buyer", "Outstanding", "Frozen on", "By", "Reason"]}
          numeric=${[2]}
          rows=${r.frozen.map((f) => [html`<${RLink} id=${f.id} />`, f.buyer, money(f.outstanding, f.currency), date(f.frozenAt), f.by, f.reason])}
        />
      </div>
    </div>`;
}

function Portfolio() {
  const params = new URLSearchParams(location.search);
  const { data: r, error } = useData("/api/report");
  if (error) return html`<p class="error">${error}</p>`;
  if (!r) return html`<p>Loading…</p>`;
  const pool = r.byBank.find((p) => p.name === params.get("pool")) ?? r.byBank[0];
  if (!pool) return html`<p>No pools in the address book.</p>`;
  const m = (v) => money(v, pool.currency);
  const mine = r.receivables.filter((l) => l.financedBy === pool.name && l.financingStatus === "Active");
  const buckets = r.overdue.map((b) => ({ ...b, amount: {} }));
  for (const l of mine) {
    if (l.daysPastDue === 0 || BigInt(l.outstanding) === 0n) continue;
    const i = buckets.findIndex((b) => l.daysPastDue >= b.fromDays && (b.toDays === null || l.daysPastDue <= b.toDays));
    buckets[i].amount[l.currency] = String(BigInt(buckets[i].amount[l.currency] ?? 0) + BigInt(l.outstanding));
  }
  const hhi = pool.exposures.reduce((a, e) => a + (BigInt(e.shareBps) * BigInt(e.shareBps)) / 10000n, 0n);
  return html`<h2>
      Portfolio —
      <select
        data-testid="pool-select"
        onChange=${(e) => (location.search = `?pool=${encodeURIComponent(e.target.value)}`)}
      >
        ${r.byBank.map((p) => html`<option selected=${p.name === pool.name}>${p.name}</option>`)}
      </select>
    </h2>
    <div class="cards">
      <${Card} label="Liquidity" id="pool-liquidity" value=${m(pool.liquidity)} />
      <${Card} label="Outstanding advances" id="pool-outstanding" value=${m(pool.outstandingAdvances)} />
      <${Card} label="Committed" id="pool-committed" value=${m(pool.committed)} />
      <${Card} label="Fees earned" id="pool-fees" value=${m(pool.feesEarned)} />
      <${Card} label="Losses" id="pool-losses" value=${m(pool.losses)} />
      <${Card} label="Financings" id="pool-financed" value=${pool.financedCount} />
      <${Card}
        label="Largest buyer"
        id="pool-largest"
        value=${pool.largestBuyer ? `${pool.largestBuyer.buyer} ${bps(pool.largestBuyer.shareBps)}` : "–"}
      />
      <${Card} label="Herfindahl index" id="pool-hhi" value=${bps(hhi)} />
    </div>
    <div class="grid">
      <div class="panel">
        <h3>Exposure by buyer</h3>
        <${Table}
          head=${["Buyer", "Exposure", "Share of pool"]}
          numeric=${[1, 2]}
          rows=${pool.exposures.map((e) => [html`<${PLink} id=${e.buyerEntityId} name=${e.buyer} />`, m(e.exposure), bps(e.shareBps)])}
        />
      </div>
      <div class="panel"><${OverdueChart} overdue=${buckets} id="chart-pool-overdue" /></div>
      <div class="panel">
        <h3>Financed receivables</h3>
        <${Table}
          head=${["Receivable", "Buyer", "Outstanding", "Due", "Status"]}
          numeric=${[2]}
          rows=${r.receivables
            .filter((l) => l.financedBy === pool.name)
            .map((l) => [
              html`<${RLink} id=${l.id} />`,
              l.buyer,
              m(l.outstanding),
              date(l.dueDate),
              html`<${Status} s=${l.status} frozen=${l.frozen} /> ${l.financingStatus}`,
            ])}
        />
      </div>
    </div>`;
}

function Tree({ nodes, parent, current }) {
  const kids = nodes.filter((n) => n.parentId === parent);
  if (kids.length === 0) return null;
  return html`<ul>
    ${kids.map(
      (n) =>
        html`<li>
          <span class=${n.id === current ? "current" : ""}
            ><${RLink} id=${n.id} /> ${money(n.face, n.currency)} <${Status} s=${n.status}
          /></span>
          <${Tree} nodes=${nodes} parent=${n.id} current=${current} />
        </li>`,
    )}
  </ul>`;
}

function Receivable() {
  const id = new URLSearchParams(location.search).get("id") ?? "1";
  const { data, error } = useData(`/api/receivables/${encodeURIComponent(id)}`);
  const { data: names } = useData("/api/names");
  if (error) return html`<p class="error">${error}</p>`;
  if (!data || !names) return html`<p>Loading…</p>`;
  const r = data.receivable;
  const name = (e) => names.entities[e]?.name ?? short(e);
  const poolName = (a) =>
    Object.entries(names.pools).find(([, p]) => p.address.toLowerCase() === String(a).toLowerCase())?.[0] ?? short(a);
  const outstanding = BigInt(r.face) - BigInt(r.paid);
  const root = data.lineage.find((n) => n.id === r.rootId);
  return html`<h2>Receivable #${r.id} <${Status} s=${r.statusName} frozen=${r.frozen} /></h2>
    <form
      onSubmit=${(e) => {
        e.preventDefault();
        location.search = `?id=${e.target.elements.id.value}`;
      }}
    >
      <input name="id" inputmode="numeric" placeholder="Receivable #" size="8" /> <button>Open</button>
    </form>
    <div class="cards">
      <${Card} label="Face" id="face" value=${money(r.face, r.currency)} />
      <${Card} label="Paid" id="paid" value=${money(r.paid, r.currency)} />
      <${Card} label="Outstanding" id="rec-outstanding" value=${money(outstanding, r.currency)} />
      <${Card}
        label="Seller"
        id="seller"
        value=${html`<${PLink} id=${r.sellerEntityId} name=${name(r.sellerEntityId)} />`}
      />
      <${Card}
        label="Buyer"
        id="buyer"
        value=${html`<${PLink} id=${r.buyerEntityId} name=${name(r.buyerEntityId)} />`}
      />
      <${Card} label="Issued / due" id="dates" value=${`${date(r.issueDate)} / ${date(r.dueDate)}`} />
      <${Card}
        label="Holder"
        id="holder"
        value=${poolName(r.holder) === short(r.holder) ? short(r.holder) : `${poolName(r.holder)} pool`}
      />
    </div>
    <div class="grid">
      <div class="panel">
        <h3>History</h3>
        <ul class="timeline" data-testid="timeline">
          ${data.events.map(
            (e) =>
              html`<li>
                <time>${new Date(Number(e.timestamp) * 1000).toISOString().slice(0, 16).replace("T", " ")}</time>
                <b>${e.kind}</b>
                ${e.detail?.amount ? money(e.detail.amount, r.currency) : ""}${e.detail?.pool ? ` · ${poolName(e.detail.pool)}` : ""}
              </li>`,
          )}
        </ul>
      </div>
      <div class="panel tree">
        <h3>Split lineage</h3>
        <ul>
          <li>
            <span class=${root?.id === r.id ? "current" : ""}
              ><${RLink} id=${r.rootId} /> ${root ? money(root.face, root.currency) : ""}
              ${root ? html`<${Status} s=${root.status} />` : ""}</span
            >
            <${Tree} nodes=${data.lineage} parent=${r.rootId} current=${r.id} />
          </li>
        </ul>
      </div>
      <div class="panel">
        <h3>Financing</h3>
        <${Table}
          head=${["Pool", "Status", "Advance", "Fee", "Net advance", "Collected"]}
          numeric=${[2, 3, 4, 5]}
          rows=${data.financings.map((f) => [
            poolName(f.pool),
            f.statusName,
            f.advance ? money(f.advance, r.currency) : "–",
            f.fee ? money(f.fee, r.currency) : "–",
            f.netAdvance ? money(f.netAdvance, r.currency) : "–",
            money(f.collected, r.currency),
          ])}
        />
      </div>
      <div class="panel">
        <h3>Payments</h3>
        <${Table}
          head=${["Date", "Amount", "Paid in total"]}
          numeric=${[1, 2]}
          rows=${data.payments.map((p) => [date(p.timestamp), money(p.amount, r.currency), money(p.paidTotal, r.currency)])}
        />
      </div>
    </div>`;
}

function Participant() {
  const params = new URLSearchParams(location.search);
  const { data: list } = useData("/api/participants");
  const { data: names } = useData("/api/names");
  const id = params.get("id") ?? list?.entities?.find((e) => (e.roles & 2) !== 0)?.id;
  const { data, error } = useData(id ? `/api/participants/${id}` : "/api/participants");
  if (error) return html`<p class="error">${error}</p>`;
  if (!data || !names || !list || !data.entity) return html`<p>Loading…</p>`;
  const e = data.entity;
  const name = (x) => names.entities[x]?.name ?? short(x);
  const rec = data.buyerRecord;
  const open = (rows) => rows.filter((r) => ["Acknowledged", "PartiallyPaid", "Defaulted"].includes(r.statusName));
  const owed = sum(open(data.asBuyer).map((r) => BigInt(r.face) - BigInt(r.paid)));
  return html`<h2>
      Participant —
      <select data-testid="participant-select" onChange=${(ev) => (location.search = `?id=${ev.target.value}`)}>
        ${list.entities.map((x) => html`<option value=${x.id} selected=${x.id === e.id}>${name(x.id)}</option>`)}
      </select>
    </h2>
    <div class="cards">
      <${Card}
        label="Roles"
        id="roles"
        value=${
          Object.entries(ROLES)
            .filter(([b]) => (e.roles & Number(b)) !== 0)
            .map(([, n]) => n)
            .join(", ") || "none"
        }
      />
      <${Card} label="KYC valid until" id="kyc" value=${date(e.kycExpiry)} />
      <${Card} label="Status" id="suspended" value=${e.suspended ? "Suspended" : "Active"} />
      <${Card}
        label="Rating (PD)"
        id="rating"
        value=${data.rating ? `${bps(data.rating.pdBps)}${data.rating.valid ? "" : " (expired)"}` : "unrated"}
      />
      <${Card} label="Owed as buyer" id="owed" value=${money(owed)} />
      <${Card}
        label="Payment record"
        id="record"
        value=${rec ? `${rec.paidOnTimeCount} on time, ${rec.paidLateCount} late (${rec.totalDaysLate} d), ${rec.defaultCount} default(s)` : "–"}
      />
    </div>
    <div class="grid">
      <div class="panel">
        <h3>Wallets</h3>
        <${Table}
          head=${["Address", "Bound"]}
          rows=${data.wallets.map((w) => [w.address, w.active ? "yes" : "removed"])}
        />
      </div>
      <div class="panel">
        <h3>As buyer</h3>
        <${Table}
          head=${["Receivable", "Seller", "Outstanding", "Due", "Status"]}
          numeric=${[2]}
          rows=${data.asBuyer.map((r) => [html`<${RLink} id=${r.id} />`, name(r.sellerEntityId), money(BigInt(r.face) - BigInt(r.paid), r.currency), date(r.dueDate), html`<${Status} s=${r.statusName} frozen=${r.frozen} />`])}
        />
      </div>
      <div class="panel">
        <h3>As seller</h3>
        <${Table}
          head=${["Receivable", "Buyer", "Face", "Due", "Status"]}
          numeric=${[2]}
          rows=${data.asSeller.map((r) => [html`<${RLink} id=${r.id} />`, name(r.buyerEntityId), money(r.face, r.currency), date(r.dueDate), html`<${Status} s=${r.statusName} frozen=${r.frozen} />`])}
        />
      </div>
    </div>`;
}

const PAGES = {
  supervisor: ["Supervisor", Supervisor],
  portfolio: ["Portfolio", Portfolio],
  receivable: ["Receivable", Receivable],
  participant: ["Participant", Participant],
};

function App({ status }) {
  const key = location.pathname.split("/")[1] || "supervisor";
  const [, Page] = PAGES[key] ?? PAGES.supervisor;
  return html`<header>
      <h1>TradeFin supervision</h1>
      <nav>
        ${Object.entries(PAGES).map(([k, [label]]) => html`<a href=${`/${k}`} class=${k === key ? "active" : ""}>${label}</a>`)}
      </nav>
      <span class="asof" data-testid="asof"
        >block ${status.block} ·
        ${new Date(Number(status.timestamp) * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC</span
      >
    </header>
    <main><${Page} /></main>`;
}

async function start() {
  const [status, report] = await Promise.all([get("/api/status"), get("/api/report/totals")]);
  currencies = report.currencies;
  const root = document.getElementById("app");
  root.textContent = "";
  render(html`<${App} status=${status} />`, root);
}
start().catch((e) => (document.getElementById("app").textContent = `Cannot reach the indexer's API: ${e.message}`));
