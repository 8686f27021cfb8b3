import { type Inspection, isValid } from "../envelope.js";
import { type Html, html } from "./html.js";

/** The validator's verdict on an envelope, and the raw JSON it was drawn from. */
export function renderVerdict(inspection: Inspection): Html {
  if (isValid(inspection)) {
    const what =
      inspection.kind === "error"
        ? `an error operation: Notion shows “${inspection.message}” (${inspection.status})`
        : "the attribute set passes validateAttributes";
    return html`<p class="verdict ok"><strong>Verdict: valid</strong> — ${what}</p>`;
  }
  const count = inspection.problems.length;
  return html`<div class="verdict bad"><p><strong>Verdict: invalid</strong> — ${count} problem${count === 1 ? "" : "s"}:</p><ul>${inspection.problems.map(
    (p) => html`<li>${p}</li>`,
  )}</ul></div>`;
}

export function renderRawJson(body: unknown, open = false): Html {
  const text = typeof body === "string" ? body : (JSON.stringify(body, null, 2) ?? String(body));
  return html`<details class="raw"${open ? html` open` : null}><summary>Raw JSON</summary><pre><code>${text}</code></pre></details>`;
}
