#!/usr/bin/env node
import { ConfigError, loadConfig } from "../config.js";
import { createOutboundFetch } from "../http/outbound.js";
import { buildProviders } from "../providers/index.js";
import { serve } from "../serve.js";
import { dashboardValues, formatDashboard } from "./dashboard.js";

const USAGE = `Usage: link-preview <command> [--json]

Commands:
  serve    run the server (same as npm start)
  config   print the exact values to type into Notion's integration dashboard
  help     show this text`;

async function main(argv: string[]): Promise<number> {
  const [command = "help", ...rest] = argv;
  switch (command) {
    case "serve":
      await serve();
      return -1;
    case "config": {
      const { config } = loadConfig();
      const outbound = createOutboundFetch();
      const values = dashboardValues(config, buildProviders(config, outbound.fetch));
      await outbound.close();
      console.log(rest.includes("--json") ? JSON.stringify(values, null, 2) : formatDashboard(values));
      return 0;
    }
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    default:
      console.error(`Unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exitCode = 1;
}
